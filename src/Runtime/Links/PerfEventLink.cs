using System;
using System.Globalization;
using System.IO;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// A program attached to a perf event, such as a tracepoint. Uses a BPF perf link (5.15+) and falls
    /// back to PERF_EVENT_IOC_SET_BPF on older kernels, where the perf event itself holds the attachment.
    /// </summary>
    public unsafe class PerfEventLink : BpfLink
    {
        private readonly BpfFileDescriptor _perfEvent;

        private protected PerfEventLink(PerfEventBinding binding) : base(binding.LinkOrPerfEvent)
        {
            _perfEvent = binding.PerfEvent;
            IsLegacy = binding.IsLegacy;
        }

        /// <summary>True when attached with ioctl (no BPF link): pin, update and info are unavailable.</summary>
        public bool IsLegacy { get; }

        /// <summary>Attaches a tracepoint program to tracepoint <paramref name="category"/>/<paramref name="name"/> (e.g. syscalls/sys_enter_getpid).</summary>
        public static PerfEventLink AttachTracepoint(BpfProgramHandle program, string category, string name, ulong cookie = 0)
            => AttachTracepoint(program, category, name, cookie, forceLegacy: false);

        internal static PerfEventLink AttachTracepoint(BpfProgramHandle program, string category, string name, ulong cookie, bool forceLegacy)
        {
            ulong id = TracepointId(category, name);
            var attr = new PerfEventAttr
            {
                Type = PerfEventAttr.TypeTracepoint,
                Size = PerfEventAttr.SizeVer1,
                Config = id,
                SamplePeriod = 1,
                WakeupEvents = 1,
            };
            // pid -1, cpu 0: BPF programs on a tracepoint run for every CPU regardless of the event's CPU.
            var perfEvent = PerfEvents.Open(attr, pid: -1, cpu: 0, $"open perf event for tracepoint {category}/{name}");
            return new PerfEventLink(BindOwned(program, perfEvent, cookie, forceLegacy));
        }

        /// <summary>
        /// Attaches a perf_event program to a new perf event: on <paramref name="cpu"/> for every process
        /// (pid -1), or following process <paramref name="pid"/> on any CPU (cpu -1).
        /// </summary>
        public static PerfEventLink AttachPerfEvent(BpfProgramHandle program, PerfEventConfig config, int cpu, int pid = -1, ulong cookie = 0)
        {
            ArgumentNullException.ThrowIfNull(config);
            if (cpu < 0 && pid < 0)
                throw new ArgumentException("A perf event needs a CPU, a process, or both (cpu -1 with pid -1 is not allowed).");
            var perfEvent = PerfEvents.Open(config.ToAttr(), pid, cpu, $"open perf event (type {config.Type}, config {config.Config}) on cpu {cpu}, pid {pid}");
            return new PerfEventLink(BindOwned(program, perfEvent, cookie));
        }

        /// <summary>Attaches a program to an open perf event, taking ownership of <paramref name="perfEvent"/>.</summary>
        public static PerfEventLink Attach(BpfProgramHandle program, BpfFileDescriptor perfEvent, ulong cookie = 0)
            => new(Bind(program, perfEvent, cookie, forceLegacy: false));

        /// <summary>Like <see cref="Bind"/>, but closes <paramref name="perfEvent"/> when binding fails.</summary>
        private protected static PerfEventBinding BindOwned(BpfProgramHandle program, BpfFileDescriptor perfEvent, ulong cookie, bool forceLegacy = false)
        {
            try
            {
                return Bind(program, perfEvent, cookie, forceLegacy);
            }
            catch
            {
                perfEvent.Dispose();
                throw;
            }
        }

        private static PerfEventBinding Bind(BpfProgramHandle program, BpfFileDescriptor perfEvent, ulong cookie, bool forceLegacy)
        {
            string operation = $"attach {program} to perf event";
            if (!forceLegacy)
            {
                using var perf = new FdLease(perfEvent);
                using var source = new FdLease(program.Fd);
                var attr = new LinkCreateAttr
                {
                    ProgOrMapFd = source.UFd,
                    Target = perf.UFd,
                    AttachType = (uint)BpfAttachType.PerfEvent,
                    PerfEventCookie = cookie,
                };
                var link = new BpfFileDescriptor();
                int result = Sys.Bpf(BpfCommand.LinkCreate, ref attr);
                if (result >= 0)
                {
                    link.Adopt(result);
                    return new PerfEventBinding(link, perfEvent, IsLegacy: false);
                }
                link.Dispose();
                // Kernels before 5.15 have no perf links; they answer EINVAL. Anything else is a real error.
                if (result != -Errno.EINVAL)
                    BpfErrors.Throw(operation, -result, BpfCallKind.Create, LinkHint(-result));
            }
            if (cookie != 0)
                throw new BpfNotSupportedException(operation, Errno.EOPNOTSUPP, "BPF cookies need BPF perf links (Linux 5.15+)");
            using (var perf = new FdLease(perfEvent))
            using (var source = new FdLease(program.Fd))
            {
                BpfErrors.Check(Sys.Ioctl(perf.Fd, PerfEventAttr.IocSetBpf, source.UFd), operation + " (PERF_EVENT_IOC_SET_BPF)");
                BpfErrors.Check(Sys.Ioctl(perf.Fd, PerfEventAttr.IocEnable, 0), "enable perf event");
            }
            return new PerfEventBinding(perfEvent, perfEvent, IsLegacy: true);
        }

        /// <summary>The tracepoint's numeric id from tracefs (events/&lt;category&gt;/&lt;name&gt;/id).</summary>
        public static ulong TracepointId(string category, string name) => Tracefs.TracepointId(category, name);

        /// <summary>
        /// Reads the link's description. Throws <see cref="InvalidOperationException"/> for a perf event attached without a BPF link (kernels before 5.15), which has none.
        /// </summary>
        public override BpfLinkInfo GetInfo()
        {
            if (IsLegacy)
                throw new InvalidOperationException("A perf event attached without a BPF link has no link info.");
            return base.GetInfo();
        }

        /// <summary>Detaches the program and closes the perf event (and the link, if any).</summary>
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && !IsLegacy)
                _perfEvent.Dispose();
        }
    }

    /// <summary>A perf event with a program on it: through a BPF link, or (legacy) the perf event itself.</summary>
    internal readonly record struct PerfEventBinding(BpfFileDescriptor LinkOrPerfEvent, BpfFileDescriptor PerfEvent, bool IsLegacy);
}
