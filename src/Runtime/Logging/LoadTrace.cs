using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Logging
{
    /// <summary>
    /// Opt-in stopwatch trace of where open, load and attach spend their time, for finding what a
    /// process's first load pays (kernel BTF, CO-RE, probes, JIT). Off unless BPFSKELETON_TRACE_LOAD=1
    /// is set when the process starts; off, a phase costs one read of a static readonly field.
    /// On, each phase gives one line on stderr, indented by nesting (inner phases come before the phase
    /// that holds them): wall ms, then bpf(2) calls and ms when BPFSKELETON_TIME_BPF=1, then methods the
    /// JIT compiled during the phase and its time (none under NativeAOT). Lines are written when the
    /// outermost phase ends; bench/trace-first-load.py turns runs of them into a table of medians.
    /// </summary>
    internal static class LoadTrace
    {
        /// <summary>Whether BPFSKELETON_TRACE_LOAD=1 was set when the process started.</summary>
        internal static readonly bool Enabled = Environment.GetEnvironmentVariable("BPFSKELETON_TRACE_LOAD") == "1";

        // Nesting depth for indentation; the trace is a diagnosis aid for one loading thread.
        private static int s_depth;
        private static bool s_started;
        private static readonly System.Text.StringBuilder s_pending = new();

        /// <summary>Starts timing <paramref name="name"/>; dispose the scope to print it. A no-op scope when off.</summary>
        public static Scope Phase(string name) => Enabled ? new Scope(name) : default;

        /// <summary>
        /// <see cref="Phase(string)"/> for a name with values in it: when tracing is off the name is never
        /// formatted, so a phase on the load path costs no string and no formatting code to compile.
        /// </summary>
        public static Scope Phase([InterpolatedStringHandlerArgument] ref PhaseName name)
            => Enabled ? new Scope(name.ToStringAndClear()) : default;

        /// <summary>Adds a line that is no phase (a probe's answer) to the trace, in order with the phases around it.</summary>
        public static void Note(string text)
        {
            if (!Enabled)
                return;
            s_pending.Append("bpfskeleton trace: note: ").AppendLine(text);
            if (s_depth == 0)
            {
                Console.Error.Write(s_pending.ToString());
                s_pending.Clear();
            }
        }

        /// <summary>Formats a phase name only when tracing is on.</summary>
        [InterpolatedStringHandler]
        public ref struct PhaseName
        {
            private DefaultInterpolatedStringHandler _text;

            /// <summary>Called by the compiler; <paramref name="enabled"/> false skips every part.</summary>
            public PhaseName(int literalLength, int formattedCount, out bool enabled)
            {
                enabled = Enabled;
                _text = enabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
            }

            /// <summary>Appends literal text.</summary>
            public void AppendLiteral(string text) => _text.AppendLiteral(text);

            /// <summary>Appends a value.</summary>
            public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

            /// <summary>The name.</summary>
            public string ToStringAndClear() => _text.ToStringAndClear();
        }

        /// <summary>One timed phase; the default value (tracing off) does nothing on dispose.</summary>
        public readonly struct Scope : IDisposable
        {
            private readonly string? _name;
            private readonly int _depth;
            private readonly long _start;
            private readonly (long Calls, TimeSpan Elapsed) _bpf;
            private readonly long _jitMethods;
            private readonly TimeSpan _jitTime;

            internal Scope(string name)
            {
                if (!s_started)
                {
                    // The first write initializes the console (milliseconds under ReadyToRun): paid here, before any
                    // phase's clock starts, so no phase is charged for the trace's own set-up.
                    s_started = true;
                    Console.Error.WriteLine("bpfskeleton trace: phase wall ms; bpf() calls and ms; JIT methods and ms (inner phases first)");
                }
                _name = name;
                _depth = s_depth++;
                _bpf = BpfSyscallTimer.Totals;
                _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
                _jitTime = System.Runtime.JitInfo.GetCompilationTime();
                _start = Stopwatch.GetTimestamp();
            }

            /// <summary>Prints the phase's line.</summary>
            public void Dispose()
            {
                if (_name is null)
                    return;
                double ms = Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
                s_depth = _depth;
                var bpf = BpfSyscallTimer.Totals;
                string line = $"bpfskeleton trace: {new string(' ', 2 * _depth)}{_name} {ms:F3} ms";
                if (BpfSyscallTimer.Enabled)
                    line += $"; bpf() {bpf.Calls - _bpf.Calls} calls {(bpf.Elapsed - _bpf.Elapsed).TotalMilliseconds:F3} ms";
                long jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - _jitMethods;
                if (jitted > 0)
                    line += $"; JIT {jitted} methods {(System.Runtime.JitInfo.GetCompilationTime() - _jitTime).TotalMilliseconds:F3} ms";
                // Written when the outermost phase ends, so writing costs no phase any time.
                s_pending.AppendLine(line);
                if (_depth == 0)
                {
                    Console.Error.Write(s_pending.ToString());
                    s_pending.Clear();
                }
            }
        }
    }
}
