using System;
using System.Buffers.Binary;
using BpfSkeleton.Btf;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Links, relocates and loads one program: subprograms appended, maps/data/externs patched,
    /// CO-RE applied against kernel BTF, func/line info rebased, attach_btf_id resolved for
    /// tracing and struct_ops programs.
    /// </summary>
    internal static class ProgramLoader
    {
        /// <summary>A program linked, relocated and described, ready for BPF_PROG_LOAD.</summary>
        internal readonly record struct Prepared(ILoadProgram Program, LinkedProgram Linked, ProgramLoad Load);

        /// <summary>Links, relocates and resolves everything one program's load needs; makes no BPF_PROG_LOAD.</summary>
        public static Prepared Prepare(ILoadSource owner, LoadPlan plan, ILoadBackend backend, ILoadProgram program, ExternResolver externs,
            Func<BtfSpec> kernelBtf, Func<CoreSession> core)
        {
            // Read once: interface calls, in a method that runs for every program of every load.
            var spec = program.Spec;
            var objectSpec = owner.Spec;
            bool defersKernelFacts = backend.DefersKernelFacts;
            var file = objectSpec.FileName;
            if (spec.Type == BpfProgramType.Unspec)
                throw new BpfLoadException(
                    $"{file}: program '{spec.Name}' is in section '{spec.SectionName}', which names no program type; use a libbpf SEC() name (e.g. \"tracepoint/...\", \"xdp\") or set its Type before Load()");

            var linked = ProgramLinker.Link(objectSpec, spec);
            byte[]? kernelCoreRelocations = null;
            if (linked.CoreRelocations.Length > 0)
            {
                if (defersKernelFacts)
                {
                    kernelCoreRelocations = EncodeCoreRelocations(linked);
                }
                else
                {
                    using var trace = LoadTrace.Phase($"CO-RE: {linked.CoreRelocations.Length} relocations of '{spec.Name}'");
                    CoreRelocator.Apply(core(), linked);
                }
            }
            InstructionPatcher.Apply(owner, plan, backend, linked, externs);

            var options = new BpfProgramLoadOptions
            {
                Type = spec.Type,
                Name = spec.Name,
                License = objectSpec.License.Length == 0 ? "" : objectSpec.License,
                KernelVersion = objectSpec.KernelVersion != 0 ? objectSpec.KernelVersion : KernelRelease.VersionCode,
                Flags = (BpfProgramLoadFlags)(uint)spec.Flags,
                Instructions = linked.Code,
                LogLevel = program.LogLevel,
                FailureLogLevel = owner.Options.VerifierLogLevel,
            };
            // As libbpf: USDT programs are loaded for uprobe.multi links when the kernel has them, so one
            // link can hold every call site. Attach reads the choice back from the loaded handle.
            // A loader for kernels it cannot probe takes the per-site uprobes every kernel has.
            var expectedAttachType = spec.Definition is { IsUsdt: true } && spec.ExpectedAttachType == BpfAttachType.None
                && !defersKernelFacts && FeatureProbes.UprobeMultiLink.Supported
                ? BpfAttachType.TraceUProbeMulti
                : spec.ExpectedAttachType;
            if (expectedAttachType != BpfAttachType.None)
                options.ExpectedAttachType = expectedAttachType;

            string? attachModule = null;
            KernelTypeName? attachTarget = null;
            if (plan.StructOpsBindings[program.Index] is { } structOps)
            {
                options.AttachBtfId = (uint)structOps.StructTypeId;
                options.ExpectedAttachType = (BpfAttachType)(uint)structOps.MemberIndex;
                attachModule = structOps.Module;
            }
            else if (program.AttachProgram is { } target)
            {
                options.AttachProgram = target;
                options.AttachBtfId = (uint)ResolveProgramTarget(file, spec, target, program.AttachFunction!);
            }
            else if (spec.Definition is { NeedsAttachBtfId: true } definition)
            {
                var typeName = AttachTargetName(file, spec, definition);
                if (defersKernelFacts) attachTarget = typeName;
                else options.AttachBtfId = (uint)ResolveAttachTarget(file, spec, typeName, kernelBtf());
            }

            // The object's BTF is loaded exactly when it has one (ObjectBtfLoader).
            bool withBtf = objectSpec.Btf is not null && linked.FuncInfos.Length > 0;
            if (withBtf)
            {
                options.FuncInfo = EncodeFuncInfo(linked);
                options.FuncInfoRecordSize = 8;
                if (linked.LineInfos.Length > 0)
                {
                    options.LineInfo = EncodeLineInfo(linked);
                    options.LineInfoRecordSize = 16;
                }
            }

            return new Prepared(program, linked,
                new ProgramLoad(options, linked.Code, linked.PlannedFixups, linked.PlannedFdArray, withBtf, attachModule, kernelCoreRelocations, attachTarget, linked.PlannedKernelSymbols));
        }

        /// <summary>
        /// Loads a prepared program into the kernel, holding <paramref name="boundMap"/> (-1 for none) though it does not
        /// name it; a verifier rejection at a poisoned CO-RE relocation says which.
        /// </summary>
        public static void Load(ILoadSource owner, ILoadBackend backend, in Prepared prepared, int boundMap)
        {
            var linked = prepared.Linked;
            try
            {
                backend.LoadProgram(prepared.Program.Index, prepared.Load, boundMap);
                LoaderLog.ProgramLoaded(owner.Spec.FileName, linked.Entry.Name, prepared.Program.Type, linked.Instructions.Length);
            }
            catch (BpfVerifierException e) when (LoaderLog.ProgramRefused(owner.Spec.FileName, linked.Entry.Name, e))
            {
                throw; // never taken: the filter logs the verifier's log and declines
            }
            catch (BpfVerifierException e) when (linked.HasPoisonedRelocations && CorePoisonReport.ReachedPoison(e.VerifierLog))
            {
                // Still the verifier's rejection, with the loader's reading of it: which relocation it hit.
                throw new BpfVerifierException(e.Operation, e.Errno, e.VerifierLog, e.LogTruncated,
                    $"{owner.Spec.FileName}: program '{linked.Entry.Name}' reaches an unresolved {CorePoisonReport.Describe(e.VerifierLog, linked.PoisonedRelocations)}. " +
                    "Guard the access with bpf_core_field_exists()/bpf_core_type_exists(), or fix the type.");
            }
        }

        /// <summary>The BTF id, in the target program's BTF, of the function a freplace or fentry/fexit program attaches to.</summary>
        private static int ResolveProgramTarget(string file, ProgramSpec spec, BpfProgramHandle target, string function)
        {
            try
            {
                return TargetProgramBtf.FindFunction(target, function);
            }
            catch (BpfLoadException e)
            {
                throw new BpfLoadException($"{file}: program '{spec.Name}': {e.Message}", e);
            }
        }

        /// <summary>The kernel type a tracing/LSM/iterator program attaches to, named by its section.</summary>
        private static KernelTypeName AttachTargetName(string file, ProgramSpec spec, SectionDefinition definition)
        {
            var target = spec.AttachTarget
                ?? throw new BpfLoadException($"{file}: program '{spec.Name}': section '{spec.SectionName}' must name its target (e.g. \"{definition.Prefix}/<name>\")");
            return spec.Type switch
            {
                BpfProgramType.Lsm => new("bpf_lsm_" + target, BtfKind.Func),
                _ when spec.ExpectedAttachType == BpfAttachType.TraceRawTp => new("btf_trace_" + target, BtfKind.Typedef),
                _ when spec.ExpectedAttachType == BpfAttachType.TraceIter => new("bpf_iter_" + target, BtfKind.Func),
                BpfProgramType.Ext => throw new BpfLoadException(
                    $"{file}: program '{spec.Name}' is a freplace program: it replaces a function of a BPF program; call SetAttachTarget(targetProgram, \"{target}\") before Load()"),
                _ => new(target, BtfKind.Func),
            };
        }

        /// <summary>The kernel BTF id of <paramref name="target"/>.</summary>
        private static int ResolveAttachTarget(string file, ProgramSpec spec, KernelTypeName target, BtfSpec kernel)
        {
            if (kernel.TryFindByName(target.Name, target.Kind, out var id)) return id;
            throw new BpfLoadException($"{file}: program '{spec.Name}' attaches to '{spec.AttachTarget}', but the kernel's BTF has no {target.Kind} '{target.Name}'");
        }

        /// <summary>The linked program's CO-RE records as the kernel reads them in core_relos (16 bytes each, offsets in bytes).</summary>
        private static byte[] EncodeCoreRelocations(LinkedProgram linked)
        {
            var records = linked.CoreRelocations;
            var bytes = new byte[records.Length * 16];
            for (var i = 0; i < records.Length; i++)
            {
                var span = bytes.AsSpan(i * 16);
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)records[i].InstructionIndex * 8);
                BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(4), (uint)records[i].TypeId);
                BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(8), records[i].AccessStringOffset);
                BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(12), (uint)records[i].Kind);
            }
            return bytes;
        }

        private static byte[] EncodeFuncInfo(LinkedProgram linked)
        {
            var records = SortedByInstruction(linked.FuncInfos, static r => r.InstructionIndex);
            var bytes = new byte[records.Length * 8];
            for (var i = 0; i < records.Length; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8), (uint)records[i].InstructionIndex);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8 + 4), (uint)records[i].TypeId);
            }
            return bytes;
        }

        private static byte[] EncodeLineInfo(LinkedProgram linked)
        {
            var records = SortedByInstruction(linked.LineInfos, static r => r.InstructionIndex);
            var bytes = new byte[records.Length * 16];
            for (var i = 0; i < records.Length; i++)
            {
                var record = records[i];
                var span = bytes.AsSpan(i * 16);
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)record.InstructionIndex);
                BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(4), record.FileNameOffset);
                BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(8), record.LineOffset);
                BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(12), record.LineColumn);
            }
            return bytes;
        }

        /// <summary>The kernel wants ext info ordered by instruction; linked records almost always already are.</summary>
        private static T[] SortedByInstruction<T>(T[] records, Func<T, int> index)
        {
            for (var i = 1; i < records.Length; i++)
            {
                if (index(records[i - 1]) <= index(records[i])) continue;
                Array.Sort(records, (a, b) => index(a).CompareTo(index(b)));
                break;
            }
            return records;
        }
    }
}
