using System;
using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>Syscall numbers for the architectures .NET runs on with Linux BPF.</summary>
    internal static class SyscallNumbers
    {
        internal static readonly nint Bpf;
        internal static readonly nint PerfEventOpen;

        static SyscallNumbers()
        {
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64:
                    Bpf = 321;
                    PerfEventOpen = 298;
                    break;
                case Architecture.Arm64:
                    Bpf = 280;
                    PerfEventOpen = 241;
                    break;
                default:
                    throw new PlatformNotSupportedException(
                        $"BpfSkeleton supports Linux on x86_64 and arm64, not {RuntimeInformation.ProcessArchitecture}.");
            }
        }
    }
}
