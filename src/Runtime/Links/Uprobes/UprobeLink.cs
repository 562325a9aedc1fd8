using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// A kprobe-type program attached to a user-space location (uprobe or uretprobe), through a
    /// perf event of the uprobe PMU bound to the program by a BPF perf link.
    /// </summary>
    public sealed unsafe class UprobeLink : PerfEventLink
    {
        private UprobeLink(PerfEventBinding binding, string binaryPath, ulong fileOffset, UprobeOptions options) : base(binding)
        {
            BinaryPath = binaryPath;
            FileOffset = fileOffset;
            IsReturn = options.IsReturn;
            ProcessId = options.ProcessId;
        }

        /// <summary>The probed file, after resolving a bare library or program name.</summary>
        public string BinaryPath { get; }

        /// <summary>The probed location as an offset into <see cref="BinaryPath"/>.</summary>
        public ulong FileOffset { get; }

        /// <summary>True for a uretprobe (runs when the function returns).</summary>
        public bool IsReturn { get; }

        /// <summary>The process the probe is limited to, or -1.</summary>
        public int ProcessId { get; }

        /// <summary>Attaches to function <paramref name="functionName"/> of <paramref name="binary"/> (a path, or a name like "libc.so.6").</summary>
        public static UprobeLink Attach(BpfProgramHandle program, string binary, string functionName, bool isReturn = false, int processId = -1, ulong cookie = 0)
            => Attach(program, binary, new UprobeOptions { FunctionName = functionName, IsReturn = isReturn, ProcessId = processId, Cookie = cookie });

        /// <summary>
        /// Attaches <paramref name="program"/> (a kprobe-type program) to <paramref name="binary"/> (a path, or a library name like "libc.so.6")
        /// at the function or offset <paramref name="options"/> names. Throws <see cref="BpfException"/> when the binary or function is not
        /// found (ENOENT) or the kernel refuses.
        /// </summary>
        public static UprobeLink Attach(BpfProgramHandle program, string binary, UprobeOptions options)
        {
            string path = BinaryPaths.Resolve(binary);
            ulong offset = options.FunctionName is null
                ? options.Offset
                : ElfFunctions.OffsetOf(ElfFunctions.Open(path), options.FunctionName) + options.Offset;
            return AttachAtOffset(program, path, offset, options);
        }

        private static UprobeLink AttachAtOffset(BpfProgramHandle program, string path, ulong offset, UprobeOptions options)
        {
            string kind = options.IsReturn ? "uretprobe" : "uprobe";
            string where = options.FunctionName is null ? $"{path}+0x{offset:x}" : $"{path}:{options.FunctionName} (offset 0x{offset:x})";
            string operation = $"open {kind} {where}";
            ProbePmu pmu = ProbePmu.RequireUprobe(operation);
            var (pid, cpu) = ProbeAttrs.Target(options.ProcessId);
            BpfFileDescriptor perfEvent;
            fixed (byte* pathZ = BpfObjects.Utf8Z(path))
            {
                PerfEventAttr attr = ProbeAttrs.Build(pmu, options.IsReturn, (ulong)pathZ, offset, options.RefCounterOffset);
                perfEvent = PerfEvents.Open(attr, pid, cpu, operation);
            }
            return new UprobeLink(BindOwned(program, perfEvent, options.Cookie), path, offset, options);
        }
    }
}
