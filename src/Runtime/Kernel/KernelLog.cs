using System;
using System.Text;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// The verifier/BTF log buffer scheme shared by program and BTF loading: load first without a log
    /// (fast, like libbpf), and only after a failure retry with a log that starts at 64 KiB and grows
    /// up to 16 MiB while the kernel reports it truncated (ENOSPC).
    /// </summary>
    internal sealed class KernelLog
    {
        internal const int InitialSize = 64 * 1024;
        internal const int MaxSize = 16 * 1024 * 1024;

        private KernelLog(int size) => Buffer = new byte[size];

        internal byte[] Buffer { get; private set; }

        internal static KernelLog Start() => new(InitialSize);

        /// <summary>
        /// After a load with this log returned <paramref name="result"/>: grows the buffer and returns
        /// true when the failure was only the log being too small and a larger one is allowed.
        /// </summary>
        internal bool TryGrowAfter(int result, uint logTrueSize)
        {
            if (result != -Errno.ENOSPC || Buffer.Length >= MaxSize)
                return false;
            // log_true_size (6.4+) says exactly how much is needed; older kernels leave it 0.
            long wanted = Math.Max((long)logTrueSize, (long)Buffer.Length * 4);
            Buffer = new byte[(int)Math.Min(wanted, MaxSize)];
            return true;
        }

        /// <summary>True when the kernel had more to say than the largest buffer held.</summary>
        internal bool IsTruncated(int result) => result == -Errno.ENOSPC && Buffer.Length >= MaxSize;

        /// <summary>
        /// True when <paramref name="text"/> is nothing but the verifier's closing statistics
        /// ("processed 0 insns (limit …) …", "verification time …"): the program was never verified.
        /// </summary>
        internal static bool IsOnlyStatistics(string text)
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (!BpfVerifierException.IsStatistics(line))
                    return false;
            return true;
        }

        internal string Text() => TextOf(Buffer);

        /// <summary>The NUL-terminated text the kernel wrote into <paramref name="buffer"/>.</summary>
        internal static string TextOf(byte[] buffer)
        {
            int end = Array.IndexOf(buffer, (byte)0);
            return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end).TrimEnd();
        }
    }
}
