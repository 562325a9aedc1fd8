using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// A kprobe-type program attached to a kernel function (kprobe, kretprobe, ksyscall) through a
    /// perf event of the kprobe PMU. Kernels built without CONFIG_KPROBES have no such PMU; attaching
    /// then fails with a <see cref="BpfNotSupportedException"/> that says so.
    /// </summary>
    public sealed unsafe class KprobeLink : PerfEventLink
    {
        private KprobeLink(PerfEventBinding binding, string function, KprobeOptions options) : base(binding)
        {
            Function = function;
            IsReturn = options.IsReturn;
        }

        /// <summary>The probed kernel function, e.g. "do_sys_openat2" or "__x64_sys_getpid".</summary>
        public string Function { get; }

        /// <summary>True for a kretprobe (runs when the function returns).</summary>
        public bool IsReturn { get; }

        /// <summary>
        /// Attaches <paramref name="program"/> (a kprobe program) to kernel function <paramref name="function"/>; <paramref name="options"/>
        /// for a return probe, an offset or a cookie. Throws <see cref="BpfException"/> when the function cannot be probed (ENOENT: no such symbol),
        /// <see cref="BpfNotSupportedException"/> without a kprobe PMU.
        /// </summary>
        public static KprobeLink Attach(BpfProgramHandle program, string function, KprobeOptions? options = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(function);
            options ??= new KprobeOptions();
            string operation = $"attach {program} as {(options.IsReturn ? "kretprobe" : "kprobe")} to {function}{(options.Offset != 0 ? $"+0x{options.Offset:x}" : "")}";
            if (options.IsReturn && options.Offset != 0)
                throw new ArgumentException("kretprobes attach at a function's entry; the offset must be 0.", nameof(options));
            ProbePmu pmu = ProbePmu.RequireKprobe(operation);
            BpfFileDescriptor perfEvent;
            fixed (byte* name = BpfObjects.Utf8Z(function))
            {
                PerfEventAttr attr = ProbeAttrs.Build(pmu, options.IsReturn, (ulong)name, options.Offset);
                var (pid, cpu) = ProbeAttrs.Target(-1);
                perfEvent = PerfEvents.Open(attr, pid, cpu, operation);
            }
            return new KprobeLink(BindOwned(program, perfEvent, options.Cookie), function, options);
        }

        /// <summary>
        /// Attaches to the kernel entry of system call <paramref name="syscall"/> (ksyscall/kretsyscall),
        /// naming it as the kernel does on this architecture (e.g. "__x64_sys_getpid").
        /// </summary>
        public static KprobeLink AttachSyscall(BpfProgramHandle program, string syscall, bool isReturn = false, ulong cookie = 0)
        {
            ArgumentException.ThrowIfNullOrEmpty(syscall);
            // Check first: naming the function reads kallsyms, which is pointless without the PMU.
            ProbePmu.RequireKprobe($"attach {program} as {(isReturn ? "kretsyscall" : "ksyscall")} to {syscall}");
            return Attach(program, SyscallFunctions.KernelFunctionFor(syscall), new KprobeOptions { IsReturn = isReturn, Cookie = cookie });
        }
    }
}
