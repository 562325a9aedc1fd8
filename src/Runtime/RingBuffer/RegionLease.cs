using BpfSkeleton.Kernel;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>Keeps two mappings from being unmapped while their memory is used; throws if either is disposed.</summary>
    internal struct RegionLease : System.IDisposable
    {
        private readonly BpfMappedRegion? _first;
        private readonly BpfMappedRegion? _second;
        private bool _firstAdded;
        private bool _secondAdded;

        internal RegionLease(BpfMappedRegion first, BpfMappedRegion second)
        {
            _first = first;
            _second = second;
            _firstAdded = false;
            _secondAdded = false;
            try
            {
                first.DangerousAddRef(ref _firstAdded);
                second.DangerousAddRef(ref _secondAdded);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            if (_secondAdded)
            {
                _secondAdded = false;
                _second!.DangerousRelease();
            }
            if (_firstAdded)
            {
                _firstAdded = false;
                _first!.DangerousRelease();
            }
        }
    }
}
