using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfProgramHandle
    {
        /// <summary>
        /// Loads a program. The first attempt runs without a verifier log; if it fails, the load is
        /// repeated with a log (64 KiB growing to 16 MiB) and a rejection is thrown as
        /// <see cref="BpfVerifierException"/>. On failure no descriptor is left open.
        /// </summary>
        public static BpfProgramHandle Load(BpfProgramLoadOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            // fixed rather than Memory.Pin: pinning an array-backed Memory allocates a GC handle, four per load.
            ReadOnlySpan<byte> code = InstructionBytes(options, out int instructionCount);
            fixed (byte* instructions = code)
            fixed (byte* funcInfo = options.FuncInfo.Span)
            fixed (byte* lineInfo = options.LineInfo.Span)
            fixed (int* fdArray = options.FdArray.Span)
            fixed (byte* signature = options.Signature.Span)
                return Load(options, new Prepared(options, instructions, instructionCount, funcInfo, lineInfo, fdArray, signature));
        }

        private static BpfProgramHandle Load(BpfProgramLoadOptions options, in Prepared prepared)
        {
            var fd = new BpfFileDescriptor();
            KernelLog? log = options.LogLevel > 0 ? KernelLog.Start() : null;
            int result;
            uint trueSize;
            do
            {
                result = LoadFd(prepared, fd, log, options.LogLevel, out trueSize);
            }
            while (result < 0 && log is not null && log.TryGrowAfter(result, trueSize));

            if (result < 0 && log is null)
            {
                log = KernelLog.Start();
                do
                {
                    result = LoadFd(prepared, fd, log, options.FailureLogLevel == 0 ? 1 : options.FailureLogLevel, out trueSize);
                }
                while (result < 0 && log.TryGrowAfter(result, trueSize));
            }

            if (result >= 0)
                return new BpfProgramHandle(fd, ObjectName.Sanitize(options.Name), options.Type, options.ExpectedAttachType,
                    options.LogLevel > 0 ? log?.Text() : null);

            fd.Dispose();
            string against = options.AttachProgram is { } target ? $" against {target}, BTF id {options.AttachBtfId}" : "";
            throw LoadError(options, $"load program '{options.Name}' ({options.Type}{against})", -result, log!);
        }

        private static BpfException LoadError(BpfProgramLoadOptions options, string operation, int errno, KernelLog log)
        {
            string text = log.Text();
            // EPERM before verification leaves at most the statistics line ("processed 0 insns"): a refusal, not a rejection.
            if (text.Length > 0 && !(errno == Errno.EPERM && KernelLog.IsOnlyStatistics(text)))
                return new BpfVerifierException(operation, errno, text, log.IsTruncated(-errno));
            if (errno == Errno.EINVAL && !TypeSupport.ProgramType(options.Type))
                return new BpfNotSupportedException(operation, errno, $"program type {options.Type} ({(uint)options.Type}) is not supported by this kernel");
            string? hint = errno switch
            {
                // As root, EPERM means policy, not privileges: e.g. fentry/fexit/lsm disabled in this kernel or refused by lockdown.
                Errno.EPERM => BpfErrors.PermissionHint(
                    $"{options.Type} programs{(options.ExpectedAttachType is { } type ? $" ({type})" : "")}",
                    $"{options.Type} programs need {KernelPrivileges.ForProgram(options.Type)}, or root"),
                Errno.EINVAL => "invalid attributes (expected attach type, attach BTF id, flags or license) for this program type",
                _ => null,
            };
            return BpfErrors.Create(operation, errno, BpfCallKind.Create, hint);
        }

        private static ReadOnlySpan<byte> InstructionBytes(BpfProgramLoadOptions options, out int count)
        {
            if (!options.Instructions.IsEmpty)
            {
                count = options.Instructions.Length;
                return MemoryMarshal.AsBytes(options.Instructions.Span);
            }
            if (options.InstructionBytes.Length % sizeof(ulong) != 0)
                throw new ArgumentException("Instruction bytes must be a multiple of 8.", nameof(options));
            count = options.InstructionBytes.Length / sizeof(ulong);
            if (count == 0)
                throw new ArgumentException("The program has no instructions.", nameof(options));
            return options.InstructionBytes.Span;
        }

        /// <summary>The parts of the attr that stay the same across the load attempts.</summary>
        private readonly struct Prepared
        {
            internal Prepared(BpfProgramLoadOptions options, void* instructions, int count, void* funcInfo, void* lineInfo, void* fdArray, void* signature = null)
            {
                Signature = signature;
                Options = options;
                Instructions = instructions;
                Count = count;
                FuncInfo = funcInfo;
                LineInfo = lineInfo;
                FdArray = fdArray;
            }

            internal BpfProgramLoadOptions Options { get; }
            internal void* Instructions { get; }
            internal int Count { get; }
            internal void* FuncInfo { get; }
            internal void* LineInfo { get; }
            internal void* FdArray { get; }
            internal void* Signature { get; }
        }

        /// <summary>One BPF_PROG_LOAD attempt into <paramref name="fd"/>; returns the result or <c>-errno</c>.</summary>
        private static int LoadFd(in Prepared prepared, BpfFileDescriptor fd, KernelLog? log, uint logLevel, out uint logTrueSize)
        {
            BpfProgramLoadOptions options = prepared.Options;
            if (options.AttachProgram is not null && options.AttachBtfObject is not null)
                throw new ArgumentException("AttachProgram and AttachBtfObject share one attr field; set only one.", nameof(options));
            using var btf = FdLease.Of(options.ProgramBtf?.Fd);
            using var attachTarget = FdLease.Of(options.AttachProgram?.Fd ?? options.AttachBtfObject?.Fd);
            // Licenses are short: the stack holds the NUL-terminated copy.
            fixed (byte* license = BpfObjects.Utf8Z(options.License, stackalloc byte[128]))
            fixed (byte* logBuffer = log?.Buffer)
            {
                var attr = DescribeLoad(options, prepared.Count);
                attr.Insns = (ulong)prepared.Instructions;
                attr.License = (ulong)license;
                attr.LogLevel = log is null ? 0 : logLevel;
                attr.LogSize = (uint)(log?.Buffer.Length ?? 0);
                attr.LogBuf = (ulong)logBuffer;
                attr.ProgBtfFd = btf.UFd;
                attr.FuncInfo = (ulong)prepared.FuncInfo;
                attr.LineInfo = (ulong)prepared.LineInfo;
                attr.AttachProgOrBtfObjFd = attachTarget.UFd;
                attr.FdArray = options.FdArray.IsEmpty ? 0 : (ulong)prepared.FdArray;
                attr.FdArrayCount = options.BindFdArray ? (uint)options.FdArray.Length : 0;
                if (!options.Signature.IsEmpty)
                {
                    attr.Signature = (ulong)prepared.Signature;
                    attr.SignatureSize = (uint)options.Signature.Length;
                    attr.KeyringId = options.KeyringId;
                }
                int result = Sys.Bpf(BpfCommand.ProgLoad, ref attr);
                logTrueSize = attr.LogTrueSize;
                if (result >= 0)
                    fd.Adopt(result);
                return result;
            }
        }

        /// <summary>
        /// The BPF_PROG_LOAD attr's values that come from the options alone: everything but pointers, fds and the log.
        /// The live load fills those from this process; the light skeleton's recorder from its loader's data.
        /// </summary>
        internal static ProgLoadAttr DescribeLoad(BpfProgramLoadOptions options, int instructionCount)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = (uint)options.Type,
                InsnCount = (uint)instructionCount,
                KernVersion = options.KernelVersion,
                ProgFlags = (uint)options.Flags,
                ProgIfIndex = options.IfIndex,
                ExpectedAttachType = (uint)(options.ExpectedAttachType ?? 0),
                FuncInfoRecSize = options.FuncInfo.IsEmpty ? 0 : options.FuncInfoRecordSize,
                FuncInfoCount = RecordCount(options.FuncInfo.Length, options.FuncInfoRecordSize),
                LineInfoRecSize = options.LineInfo.IsEmpty ? 0 : options.LineInfoRecordSize,
                LineInfoCount = RecordCount(options.LineInfo.Length, options.LineInfoRecordSize),
                AttachBtfId = options.AttachBtfId,
            };
            ObjectName.Write(options.Name, new Span<byte>(attr.ProgName, MapCreateAttr.ObjectNameLength));
            return attr;
        }

        private static uint RecordCount(int length, uint recordSize)
        {
            if (length == 0)
                return 0;
            if (recordSize == 0 || length % recordSize != 0)
                throw new ArgumentException($"BTF ext info of {length} bytes is not a whole number of {recordSize}-byte records.");
            return (uint)(length / recordSize);
        }

        /// <summary>A load attempt for feature probes: returns the result or <c>-errno</c> and closes whatever it loaded.</summary>
        internal static int ProbeLoad(BpfProgramType type, ulong[] program, BpfAttachType? attachType = null, BpfProgramLoadFlags flags = BpfProgramLoadFlags.None)
            => ProbeLoad(type, program, attachType, flags, attachBtfId: 0, withLog: false, out _);

        internal static int ProbeLoad(BpfProgramType type, ulong[] program, BpfAttachType? attachType, BpfProgramLoadFlags flags,
            uint attachBtfId, bool withLog, out string log)
            => ProbeLoad(new BpfProgramLoadOptions { Type = type, ExpectedAttachType = attachType, Flags = flags, AttachBtfId = attachBtfId, Instructions = program },
                withLog, out log);

        /// <summary>A probe load of <paramref name="options"/>' instructions (with its fd_array and signature), without BTF or ext info.</summary>
        internal static int ProbeLoad(BpfProgramLoadOptions options, bool withLog, out string log)
        {
            KernelLog? kernelLog = withLog ? KernelLog.Start() : null;
            using var fd = new BpfFileDescriptor();
            int result;
            fixed (ulong* instructions = options.Instructions.Span)
            fixed (int* fdArray = options.FdArray.Span)
            fixed (byte* signature = options.Signature.Span)
                result = LoadFd(new Prepared(options, instructions, options.Instructions.Length, null, null, fdArray, signature), fd, kernelLog, 1, out _);
            log = kernelLog?.Text() ?? "";
            return result;
        }
    }
}
