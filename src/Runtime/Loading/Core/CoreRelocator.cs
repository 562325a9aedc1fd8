using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Applies a linked program's CO-RE relocations against the session's target types. An
    /// unresolvable relocation poisons its instruction as libbpf does, so a guarded dead branch
    /// still verifies; the relocation is remembered so that a verifier error at that instruction
    /// can name it.
    /// </summary>
    internal static class CoreRelocator
    {
        public static void Apply(CoreSession session, LinkedProgram linked)
        {
            var records = linked.CoreRelocations;
            for (var ordinal = 0; ordinal < records.Length; ordinal++)
            {
                var record = records[ordinal];
                CoreSession.Resolved resolved;
                try
                {
                    resolved = session.Resolve(record);
                    if (CoreInstructionPatcher.Apply(linked.Instructions, record.InstructionIndex, resolved.Result))
                    {
                        if (LoaderLog.DebugEnabled) LoaderLog.CoreRelocated(session.Spec.FileName, linked.Entry.Name, Describe(session, record, ordinal, resolved.Local), resolved.Result.OriginalValue, resolved.Result.NewValue);
                        continue;
                    }
                }
                catch (CoreRelocationException e)
                {
                    throw new BpfLoadException($"{session.Spec.FileName}: program '{linked.Entry.Name}': {Describe(session, record, ordinal)}: {e.Message}");
                }
                var why = resolved.Result.Poison
                    ? "not found in the kernel's types"
                    : $"the field's type or size changed in the kernel ({resolved.Result.OriginalSize} to {resolved.Result.NewSize} bytes) in a way a load cannot adjust to";
                linked.PoisonedRelocations[record.InstructionIndex] = $"{Describe(session, record, ordinal, resolved.Local)}: {why}";
                LoaderLog.CorePoisoned(session.Spec.FileName, linked.Entry.Name, linked.PoisonedRelocations[record.InstructionIndex]);
            }
        }

        /// <summary>"CO-RE relocation #3 (FieldByteOffset of struct task_struct::se.vruntime) at instruction 12".</summary>
        internal static string Describe(CoreSession session, CoreRelocationRecord record, int ordinal, CoreSpec? local = null)
        {
            string what;
            try
            {
                what = local?.Describe() ?? $"{session.Local.GetTypeName(record.TypeId)}, access {record.AccessString}";
            }
            catch (BpfFormatException)
            {
                what = $"type {record.TypeId}, access {record.AccessString}";
            }
            return $"CO-RE relocation #{ordinal} ({record.Kind} of {what}) at instruction {record.InstructionIndex}";
        }
    }
}
