using System;
using System.Threading;
using BpfSkeleton.Interop;
using Microsoft.Extensions.Logging;

namespace BpfSkeleton.Logging
{
    /// <summary>
    /// The loader's log lines, one method each (source-generated: nothing is formatted or boxed unless the
    /// level is enabled). The logger is the object's (<see cref="BpfOpenOptions.Logger"/>, in force on the
    /// thread for the duration of its open or load: see <see cref="Use"/>) or else <see cref="BpfLogging.Logger"/>.
    /// Call sites that would build a string first ask <see cref="IsEnabled"/>.
    /// </summary>
    internal static partial class LoaderLog
    {
        [ThreadStatic] private static ILogger? t_objectLogger;

        // Object loggers in force on any thread. While there are none (the usual case), no line reads the thread
        // static: on Linux each read is a runtime helper call and a TLS lookup, about a dozen per load.
        private static int s_objectLoggers;

        private static ILogger? Current => (Volatile.Read(ref s_objectLoggers) == 0 ? null : t_objectLogger) ?? BpfLogging.Logger;

        public static bool IsEnabled(LogLevel level) => Current is { } logger && logger.IsEnabled(level);

        /// <summary>Whether Debug lines are wanted: asked before building a string only a log line needs.</summary>
        public static bool DebugEnabled => IsEnabled(LogLevel.Debug);

        /// <summary>Makes <paramref name="logger"/> (when not null) the current thread's logger until the scope is disposed.</summary>
        public static Scope Use(ILogger? logger)
        {
            if (logger is null) return default;
            var previous = t_objectLogger;
            t_objectLogger = logger;
            Interlocked.Increment(ref s_objectLoggers);
            return new Scope(previous, active: true);
        }

        /// <summary>Restores the logger in force before <see cref="Use"/>.</summary>
        public readonly struct Scope(ILogger? previous, bool active) : IDisposable
        {
            public void Dispose()
            {
                if (!active) return;
                t_objectLogger = previous;
                Interlocked.Decrement(ref s_objectLoggers);
            }
        }

        public static void ProbeAnswered(string answer) { if (Current is { } logger) Lines.ProbeAnswered(logger, answer); }

        public static void KernelBtfRead(string path, int bytes, int types) { if (Current is { } logger) Lines.KernelBtfRead(logger, path, bytes, types); }

        public static void ObjectBtfPrepared(string file, int originalBytes, int loadedBytes, Btf.BtfFeatures rewritten)
        { if (Current is { } logger) Lines.ObjectBtfPrepared(logger, file, originalBytes, loadedBytes, rewritten); }

        public static void CoreRelocated(string file, string program, string relocation, ulong original, ulong updated)
        { if (Current is { } logger) Lines.CoreRelocated(logger, file, program, relocation, original, updated); }

        public static void CorePoisoned(string file, string program, string relocationAndWhy) { if (Current is { } logger) Lines.CorePoisoned(logger, file, program, relocationAndWhy); }

        public static void StructOpsMatched(string where, string kernelStruct, string members) { if (Current is { } logger) Lines.StructOpsMatched(logger, where, kernelStruct, members); }

        public static void MapCreated(string file, string map) { if (Current is { } logger) Lines.MapCreated(logger, file, map); }

        public static void MapReused(string file, string map, string pinPath) { if (Current is { } logger) Lines.MapReused(logger, file, map, pinPath); }

        public static void MapPinned(string file, string map, string pinPath) { if (Current is { } logger) Lines.MapPinned(logger, file, map, pinPath); }

        public static void MapGiven(string file, string map) { if (Current is { } logger) Lines.MapGiven(logger, file, map); }

        public static void ProgramLoaded(string file, string program, BpfProgramType type, int instructions)
        { if (Current is { } logger) Lines.ProgramLoaded(logger, file, program, type, instructions); }

        /// <summary>Logs the verifier's log; false, so it can sit in an exception filter and let the error pass.</summary>
        public static bool ProgramRefused(string file, string program, BpfVerifierException error)
        {
            if (Current is { } logger) Lines.ProgramRefused(logger, file, program, error.Errno, error.VerifierLog);
            return false;
        }

        /// <summary>A program's verifier log kept at the level it asked for (BpfProgram.LogLevel, e.g. 4 for statistics).</summary>
        public static void VerifierLogKept(string file, string program, string verifierLog) { if (Current is { } logger) Lines.VerifierLogKept(logger, file, program, verifierLog); }

        /// <summary>The object's load (its programs' kept verifier logs are logged first, by the object).</summary>
        public static void ObjectLoaded(string file, int maps, int programs, double milliseconds) { if (Current is { } logger) Lines.ObjectLoaded(logger, file, maps, programs, milliseconds); }

        /// <summary>
        /// The generated lines. Their own class: the generator keeps each line's formatter in a static field
        /// (LoggerMessage.Define, 14 format strings parsed and 14 generic delegates JIT-compiled under ReadyToRun),
        /// so holding them here runs that initializer only when a logger is set, not on every process's first load.
        /// </summary>
        private static partial class Lines
        {
            [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "feature probe: {Answer}")]
            internal static partial void ProbeAnswered(ILogger logger, string answer);

            [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "kernel BTF: read {Path} ({Bytes} bytes, {Types} types)")]
            internal static partial void KernelBtfRead(ILogger logger, string path, int bytes, int types);

            [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{File}: object BTF fixed up for this kernel (datasec sizes and offsets, hidden functions static), {OriginalBytes} -> {LoadedBytes} bytes; BTF features it lacks, rewritten or left out: {Rewritten}")]
            internal static partial void ObjectBtfPrepared(ILogger logger, string file, int originalBytes, int loadedBytes, Btf.BtfFeatures rewritten);

            [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{File}: program '{Program}': {Relocation}: {Original} -> {Updated}")]
            internal static partial void CoreRelocated(ILogger logger, string file, string program, string relocation, ulong original, ulong updated);

            [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "{File}: program '{Program}': {RelocationAndWhy}; the instruction is poisoned (the verifier refuses it only if it is reached)")]
            internal static partial void CorePoisoned(ILogger logger, string file, string program, string relocationAndWhy);

            [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "{Where}: matched to the kernel's struct {KernelStruct} by member name: {Members}")]
            internal static partial void StructOpsMatched(ILogger logger, string where, string kernelStruct, string members);

            [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{File}: map '{Map}' created")]
            internal static partial void MapCreated(ILogger logger, string file, string map);

            [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "{File}: map '{Map}' reused from pin {PinPath}")]
            internal static partial void MapReused(ILogger logger, string file, string map, string pinPath);

            [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "{File}: map '{Map}' pinned at {PinPath}")]
            internal static partial void MapPinned(ILogger logger, string file, string map, string pinPath);

            [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "{File}: map '{Map}' is the map given with ReuseMap")]
            internal static partial void MapGiven(ILogger logger, string file, string map);

            [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "{File}: program '{Program}' ({Type}) loaded, {Instructions} instructions")]
            internal static partial void ProgramLoaded(ILogger logger, string file, string program, BpfProgramType type, int instructions);

            [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{File}: program '{Program}' refused by the verifier (errno {Errno}); verifier log:\n{VerifierLog}")]
            internal static partial void ProgramRefused(ILogger logger, string file, string program, int errno, string verifierLog);

            [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "{File}: program '{Program}' verifier log (kept at its LogLevel):\n{VerifierLog}")]
            internal static partial void VerifierLogKept(ILogger logger, string file, string program, string verifierLog);

            [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{File}: loaded in {Milliseconds:F1} ms ({Maps} maps, {Programs} programs in the object)")]
            internal static partial void ObjectLoaded(ILogger logger, string file, int maps, int programs, double milliseconds);
        }
    }
}
