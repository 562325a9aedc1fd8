using BpfSkeleton.Kernel;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>A ring with its own handler; the drain loop is specialized for <typeparamref name="THandler"/>.</summary>
    internal sealed class RingBufferRing<THandler> : RingBufferRing where THandler : IRingBufferHandler
    {
        private THandler _handler;

        internal RingBufferRing(BpfMap map, THandler handler) : base(map) => _handler = handler;

        internal override long DrainToHandler(out bool stopped) => Drain(ref _handler, out stopped);
    }
}
