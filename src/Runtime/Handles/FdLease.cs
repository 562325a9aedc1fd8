using System;

namespace BpfSkeleton.Handles
{
    /// <summary>
    /// Keeps a <see cref="BpfFileDescriptor"/> from being closed while its raw number is in use
    /// in a syscall, so a concurrent Dispose cannot make us act on a recycled descriptor number.
    /// </summary>
    internal ref struct FdLease
    {
        private readonly BpfFileDescriptor? _owner;
        private bool _addedRef;

        internal FdLease(BpfFileDescriptor owner)
        {
            _owner = owner;
            _addedRef = false;
            owner.DangerousAddRef(ref _addedRef);
            Fd = owner.DangerousGetFd();
        }

        /// <summary>A lease on <paramref name="owner"/>, or on nothing (fd 0, which the kernel reads as "not set").</summary>
        internal static FdLease Of(BpfFileDescriptor? owner) => owner is null ? default : new FdLease(owner);

        internal readonly int Fd { get; }

        internal readonly uint UFd => (uint)Fd;

        public void Dispose()
        {
            if (_addedRef)
            {
                _addedRef = false;
                _owner!.DangerousRelease();
            }
        }
    }
}
