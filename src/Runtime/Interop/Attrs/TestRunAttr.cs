using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_PROG_TEST_RUN (80 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TestRunAttr
    {
        public uint ProgFd;
        public uint RetVal;
        public uint DataSizeIn;
        public uint DataSizeOut;
        public ulong DataIn;
        public ulong DataOut;
        public uint Repeat;
        public uint Duration;
        public uint CtxSizeIn;
        public uint CtxSizeOut;
        public ulong CtxIn;
        public ulong CtxOut;
        public uint Flags;
        public uint Cpu;
        public uint BatchSize;
        private readonly uint _padding;
    }
}
