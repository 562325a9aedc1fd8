using System;
using System.Collections.Generic;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// One link holding many uprobes of one binary (BPF_TRACE_UPROBE_MULTI, 6.6+). The program must
    /// be loaded with expected attach type <see cref="BpfAttachType.TraceUProbeMulti"/> (SEC("uprobe.multi")).
    /// </summary>
    public sealed unsafe class UprobeMultiLink : BpfLink
    {
        /// <summary>BPF_F_UPROBE_MULTI_RETURN.</summary>
        internal const uint ReturnFlag = 1;

        private UprobeMultiLink(BpfFileDescriptor fd, string binaryPath, ulong[] offsets) : base(fd)
        {
            BinaryPath = binaryPath;
            Offsets = offsets;
        }

        /// <summary>The probed binary, as resolved (a full path).</summary>
        public string BinaryPath { get; }

        /// <summary>The probed file offsets, in the order given (or, for a pattern, by function name).</summary>
        public IReadOnlyList<ulong> Offsets { get; }

        /// <summary>
        /// Attaches <paramref name="program"/> (loaded with expected attach type <see cref="BpfAttachType.TraceUProbeMulti"/>) to every location
        /// <paramref name="options"/> names in <paramref name="binary"/>, in one link (6.6+). Throws <see cref="ArgumentException"/> unless exactly one of function names, pattern or offsets is given,
        /// <see cref="BpfException"/> when the binary or a function is not found (ENOENT) or the kernel refuses.
        /// </summary>
        public static UprobeMultiLink Attach(BpfProgramHandle program, string binary, UprobeMultiOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            string path = BinaryPaths.Resolve(binary);
            ulong[] offsets = ResolveOffsets(path, options);
            string operation = $"attach {program} as {(options.IsReturn ? "uretprobe" : "uprobe")}.multi to {offsets.Length} locations in {path}";
            CheckSameLength(options.RefCounterOffsets, offsets.Length, nameof(options.RefCounterOffsets));
            CheckSameLength(options.Cookies, offsets.Length, nameof(options.Cookies));

            ulong[]? refCounters = options.RefCounterOffsets is null ? null : new List<ulong>(options.RefCounterOffsets).ToArray();
            ulong[]? cookies = options.Cookies is null ? null : new List<ulong>(options.Cookies).ToArray();
            fixed (byte* pathZ = BpfObjects.Utf8Z(path))
            fixed (ulong* offsetsPointer = offsets)
            fixed (ulong* refCountersPointer = refCounters)
            fixed (ulong* cookiesPointer = cookies)
            {
                var attr = BuildAttr(AttachTypeOf(program), (ulong)pathZ, (ulong)offsetsPointer, (ulong)refCountersPointer, (ulong)cookiesPointer,
                    (uint)offsets.Length, options.IsReturn, options.ProcessId);
                // The return flag and pid live in the uprobe_multi tail; link_create's own flags stay 0.
                var fd = Create(program.Fd, 0, AttachTypeOf(program), 0, attr, operation, Hint);
                return new UprobeMultiLink(fd, path, offsets);
            }
        }

        /// <summary>The link_create tail for uprobe_multi; pid -1 (every process) is the kernel's 0.</summary>
        internal static LinkCreateAttr BuildAttr(BpfAttachType attachType, ulong path, ulong offsets, ulong refCounterOffsets, ulong cookies, uint count, bool isReturn, int processId)
            => new()
            {
                AttachType = (uint)attachType,
                UprobeMultiPath = path,
                UprobeMultiOffsets = offsets,
                UprobeMultiRefCounterOffsets = refCounterOffsets,
                UprobeMultiCookies = cookies,
                UprobeMultiCount = count,
                UprobeMultiFlags = isReturn ? ReturnFlag : 0,
                UprobeMultiPid = processId < 0 ? 0 : (uint)processId,
            };

        /// <summary>uprobe.session programs (loaded for TraceUProbeSession) attach as sessions; all others as uprobe.multi.</summary>
        private static BpfAttachType AttachTypeOf(BpfProgramHandle program)
            => program.ExpectedAttachType == BpfAttachType.TraceUProbeSession ? BpfAttachType.TraceUProbeSession : BpfAttachType.TraceUProbeMulti;

        private static ulong[] ResolveOffsets(string path, UprobeMultiOptions options)
        {
            int given = (options.FunctionNames is null ? 0 : 1) + (options.Pattern is null ? 0 : 1) + (options.Offsets is null ? 0 : 1);
            if (given != 1)
                throw new ArgumentException("Give exactly one of FunctionNames, Pattern or Offsets.", nameof(options));
            if (options.Offsets is { } raw)
                return NonEmpty(new List<ulong>(raw).ToArray());
            var elf = ElfFunctions.Open(path);
            if (options.Pattern is { } pattern)
                return ElfFunctions.Match(elf, pattern).ConvertAll(match => match.Offset).ToArray();
            var names = options.FunctionNames!;
            var offsets = new ulong[names.Count];
            for (int i = 0; i < offsets.Length; i++)
                offsets[i] = ElfFunctions.OffsetOf(elf, names[i]);
            return NonEmpty(offsets);
        }

        private static ulong[] NonEmpty(ulong[] offsets)
            => offsets.Length > 0 ? offsets : throw new ArgumentException("A uprobe.multi link needs at least one location.");

        private static void CheckSameLength(IReadOnlyList<ulong>? values, int count, string name)
        {
            if (values is not null && values.Count != count)
                throw new ArgumentException($"{name} has {values.Count} entries for {count} locations.", name);
        }

        private static string? Hint(int errno) => errno switch
        {
            Errno.EINVAL => "the program must be loaded with expected attach type TraceUProbeMulti (SEC(\"uprobe.multi\"))",
            Errno.EOPNOTSUPP or Errno.ENOTSUPP => "uprobe.multi links need Linux 6.6+ with CONFIG_UPROBES",
            Errno.ESRCH => "no such process",
            _ => LinkHint(errno),
        };
    }
}
