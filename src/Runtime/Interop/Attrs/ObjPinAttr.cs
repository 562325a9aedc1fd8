using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_OBJ_PIN and BPF_OBJ_GET (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ObjPinAttr
    {
        public ulong PathName;
        public uint BpfFd;
        public uint FileFlags;
        public int PathFd;
        private readonly uint _padding;
    }
}
