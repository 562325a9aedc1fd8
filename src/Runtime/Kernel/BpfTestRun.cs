using System;

namespace BpfSkeleton.Kernel
{
    /// <summary>Input of BPF_PROG_TEST_RUN.</summary>
    public sealed class BpfTestRunOptions
    {
        /// <summary>Packet (or other) data the program sees.</summary>
        public ReadOnlyMemory<byte> DataIn { get; set; }

        /// <summary>Bytes to reserve for the data as the program left it (0 = do not return data).</summary>
        public int DataOutSize { get; set; }

        /// <summary>Context passed in (for example struct __sk_buff or the syscall program's argument).</summary>
        public ReadOnlyMemory<byte> ContextIn { get; set; }

        /// <summary>Bytes to reserve for the context as the program left it (0 = do not return it).</summary>
        public int ContextOutSize { get; set; }

        /// <summary>Number of runs; the kernel reports the average duration (0 and 1 both mean one run).</summary>
        public uint Repeat { get; set; }

        /// <summary>BPF_F_TEST_* flags.</summary>
        public uint Flags { get; set; }

        /// <summary>CPU to run on, with BPF_F_TEST_RUN_ON_CPU (1) in <see cref="Flags"/>.</summary>
        public uint Cpu { get; set; }

        /// <summary>Batch size for XDP live frames mode.</summary>
        public uint BatchSize { get; set; }
    }

    /// <summary>Output of BPF_PROG_TEST_RUN.</summary>
    public sealed record BpfTestRunResult(uint ReturnValue, uint DurationNanoseconds, byte[] DataOut, byte[] ContextOut);
}
