namespace BpfSkeleton.RingBuffer
{
    /// <summary>A copied ring buffer record and the index of the ring it came from.</summary>
    public readonly record struct RingBufferRecord(int Ring, byte[] Data);
}
