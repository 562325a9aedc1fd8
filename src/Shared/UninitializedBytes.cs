namespace BpfSkeleton
{
    /// <summary>Byte arrays that are about to be overwritten whole: the runtime skips zeroing them.</summary>
    internal static class UninitializedBytes
    {
        public static byte[] Allocate(long length)
#if NETSTANDARD2_0
            => new byte[length];
#else
            => length <= int.MaxValue ? System.GC.AllocateUninitializedArray<byte>((int)length) : new byte[length];
#endif
    }
}
