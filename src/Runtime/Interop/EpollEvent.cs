using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// The layout of <c>struct epoll_event</c> { u32 events; u64 data; }. It is packed (12 bytes) on
    /// x86_64 and naturally aligned (16 bytes) elsewhere, so it is read and written through offsets
    /// rather than a single C# struct.
    /// </summary>
    internal static unsafe class EpollEvent
    {
        private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture == Architecture.X64;

        internal static int Size => s_packed ? 12 : 16;

        private static int DataOffset => s_packed ? 4 : 8;

        internal static void Write(byte* slot, uint events, ulong data)
        {
            *(uint*)slot = events;
            // Unaligned on x86_64, where that is allowed.
            *(ulong*)(slot + DataOffset) = data;
        }

        internal static uint Events(byte* slot) => *(uint*)slot;

        internal static ulong Data(byte* slot) => *(ulong*)(slot + DataOffset);
    }
}
