using System;
using Microsoft.Extensions.Logging;

namespace BpfSkeleton.Logging
{
    /// <summary>
    /// Where the loader's diagnostics go — the counterpart of libbpf's <c>libbpf_set_print</c>. Silent until a
    /// logger is set; with none, or with Debug disabled, logging costs a null check and allocates nothing.
    /// </summary>
    /// <remarks>
    /// At <see cref="LogLevel.Debug"/>: feature probes and their answers, the kernel BTF read, the object's BTF
    /// fixups, each CO-RE relocation and its outcome, struct_ops members matched to the kernel's struct, maps
    /// created, reused from a pin or pinned, each program
    /// loaded, the verifier's log of a program the kernel refused, and of a loaded program whose
    /// <see cref="BpfProgram.LogLevel"/> asked for one (4: the verifier's statistics). At <see cref="LogLevel.Information"/>:
    /// one line per object loaded. Set a logger for one object with <see cref="BpfOpenOptions.Logger"/>.
    /// </remarks>
    public static class BpfLogging
    {
        private static volatile ILogger? s_logger;

        /// <summary>The process-wide logger (for example <c>loggerFactory.CreateLogger("BpfSkeleton")</c>); null for silence.</summary>
        public static ILogger? Logger
        {
            get => s_logger;
            set => s_logger = value;
        }

        /// <summary>
        /// A logger that hands each line at or above <paramref name="minimumLevel"/> to <paramref name="print"/>,
        /// for applications without Microsoft.Extensions.Logging: <c>BpfLogging.Logger = BpfLogging.ToCallback((level, line) => Console.Error.WriteLine(line));</c>
        /// </summary>
        public static ILogger ToCallback(Action<LogLevel, string> print, LogLevel minimumLevel = LogLevel.Debug)
        {
            ArgumentNullException.ThrowIfNull(print);
            return new CallbackLogger(print, minimumLevel);
        }
    }
}
