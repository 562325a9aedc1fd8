using BpfSkeleton.Kernel;
using BpfSkeleton.Links;

namespace BpfSkeleton
{
    // Explicit attach APIs for tracepoints, raw tracepoints, perf events and iterators.
    public sealed partial class BpfProgram
    {
        /// <summary>Attaches to tracepoint <paramref name="category"/>/<paramref name="name"/> (e.g. "syscalls", "sys_enter_getpid").</summary>
        public PerfEventLink AttachTracepoint(string category, string name, ulong cookie = 0)
            => PerfEventLink.AttachTracepoint(HandleForAttach("tracepoint"), category, name, cookie);

        /// <summary>Attaches to raw tracepoint <paramref name="name"/> (e.g. "sys_enter").</summary>
        public RawTracepointLink AttachRawTracepoint(string name, ulong cookie = 0)
            => RawTracepointLink.Attach(HandleForAttach("raw tracepoint"), name, cookie);

        /// <summary>
        /// Attaches a perf_event program to a new perf event, e.g. <see cref="PerfEventConfig.CpuClock"/>:
        /// on <paramref name="cpu"/> for every process, or following <paramref name="pid"/> (cpu -1: on any CPU).
        /// </summary>
        public PerfEventLink AttachPerfEvent(PerfEventConfig config, int cpu, int pid = -1, ulong cookie = 0)
            => PerfEventLink.AttachPerfEvent(HandleForAttach("perf event"), config, cpu, pid, cookie);

        /// <summary>Attaches an iterator; <paramref name="map"/> is the map to walk for map-element iterators.</summary>
        public IterLink AttachIterator(BpfMap? map = null)
            => IterLink.Attach(HandleForAttach("iterator"), map);

        /// <summary>
        /// Replaces global function <paramref name="functionName"/> of <paramref name="target"/> with this
        /// freplace program, whatever target it was loaded against (libbpf's bpf_program__attach_freplace).
        /// </summary>
        public TracingLink AttachFreplace(BpfProgramHandle target, string functionName)
        {
            System.ArgumentNullException.ThrowIfNull(target);
            System.ArgumentException.ThrowIfNullOrEmpty(functionName);
            if (Type != BpfProgramType.Ext)
                throw new System.InvalidOperationException($"program '{Name}' is {Type}: only freplace (Ext) programs attach with AttachFreplace");
            return TracingLink.AttachFreplace(HandleForAttach("freplace"), target, functionName);
        }

        /// <summary>Attaches a tp_btf/fentry/fexit/fmod_ret/lsm program to the target fixed at load.</summary>
        public RawTracepointLink AttachTracing(ulong cookie = 0)
            => RawTracepointLink.AttachTracing(HandleForAttach("tracing"), cookie);
    }
}
