using System;

namespace BpfSkeleton
{
    /// <summary>
    /// The kernel rejected a program (or a BTF blob) and explained why in its verifier log.
    /// <see cref="VerifierLog"/> has the full text; <see cref="Summary"/> the last lines that matter.
    /// </summary>
    public sealed class BpfVerifierException : BpfException
    {
        private const int SummaryLines = 8;

        /// <summary>A program load the verifier rejected.</summary>
        /// <param name="operation">What was being done, e.g. "load program 'handle_exec'".</param>
        /// <param name="errno">The positive errno of BPF_PROG_LOAD (usually EACCES or EINVAL).</param>
        /// <param name="verifierLog">The verifier's log as the kernel wrote it; <see cref="Summary"/> is taken from its end.</param>
        /// <param name="logTruncated">True when the log filled its buffer (ENOSPC), so its start is missing.</param>
        public BpfVerifierException(string operation, int errno, string verifierLog, bool logTruncated = false)
            : this(operation, errno, verifierLog, logTruncated, hint: null, Summarize(verifierLog))
        {
        }

        /// <summary>A rejection the loader can explain further (e.g. the unresolved CO-RE relocation the program reached).</summary>
        public BpfVerifierException(string operation, int errno, string verifierLog, bool logTruncated, string? hint)
            : this(operation, errno, verifierLog, logTruncated, hint, Summarize(verifierLog))
        {
        }

        private BpfVerifierException(string operation, int errno, string verifierLog, bool logTruncated, string? hint, string summary)
            : base(operation, errno, hint,
                   Describe(operation, errno, hint) + Environment.NewLine + summary)
        {
            VerifierLog = verifierLog;
            LogTruncated = logTruncated;
            Summary = summary;
        }

        /// <summary>The complete log the kernel wrote.</summary>
        public string VerifierLog { get; }

        /// <summary>The last relevant log lines, preceded by "(N lines omitted)" when there were more.</summary>
        public string Summary { get; }

        /// <summary>True when the log hit the maximum buffer size and its beginning is missing.</summary>
        public bool LogTruncated { get; }

        /// <summary>
        /// Keeps the tail of the log, where the verifier states its reason, minus the statistics lines
        /// ("processed N insns ...", "verification time ...") that follow the reason.
        /// </summary>
        internal static string Summarize(string log)
        {
            string[] lines = log.Replace("\r", "", StringComparison.Ordinal)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int end = lines.Length;
            while (end > 0 && IsStatistics(lines[end - 1]))
                end--;
            if (end == 0)
                end = lines.Length;
            int start = Math.Max(0, end - SummaryLines);
            string tail = string.Join(Environment.NewLine, lines, start, end - start);
            int omitted = lines.Length - (end - start);
            return omitted > 0 ? $"({omitted} lines omitted){Environment.NewLine}{tail}" : tail;
        }

        /// <summary>The verifier's closing statistics lines, which follow the reason for a rejection.</summary>
        internal static bool IsStatistics(string line)
            => line.StartsWith("processed ", StringComparison.Ordinal)
            || line.StartsWith("verification time", StringComparison.Ordinal)
            || line.StartsWith("stack depth", StringComparison.Ordinal)
            || line.StartsWith("max_states_per_insn", StringComparison.Ordinal);
    }
}
