using System.Collections.Generic;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// What the light skeleton's loader cannot yet replay for an object: each entry names the feature and
    /// where the object uses it. The loader is recorded on the build machine, so anything decided by the
    /// running kernel (its BTF, its symbols, its kconfig) would be baked in from the wrong kernel; those
    /// features are refused rather than recorded.
    /// </summary>
    internal static class LightPathLimits
    {
        public static List<string> Find(BpfObject owner)
        {
            var refusals = new List<string>();
            var spec = owner.Spec;
            foreach (var extern_ in spec.Externs)
                refusals.Add($"extern '{extern_.Name}' ({extern_.Kind}): resolved against the running kernel's symbols, BTF or kconfig");
            foreach (var program in owner.Programs)
            {
                if (!program.AutoLoad && !program.IsStructOps) continue;
                if (program.Spec.CoreRelocations.Count > 0)
                    refusals.Add($"program '{program.Name}': {program.Spec.CoreRelocations.Count} CO-RE relocation(s), which need the running kernel's BTF");
                if (program.Spec.Definition is { NeedsAttachBtfId: true })
                    refusals.Add($"program '{program.Name}' (section '{program.Spec.SectionName}'): its attach target is a BTF id of the running kernel");
                if (program.AttachProgram is not null)
                    refusals.Add($"program '{program.Name}': attaches to another BPF program, which exists only at run time");
            }
            foreach (var subprogram in spec.Subprograms)
                if (subprogram.CoreRelocations.Count > 0)
                    refusals.Add($"function '{subprogram.Name}': {subprogram.CoreRelocations.Count} CO-RE relocation(s), which need the running kernel's BTF");
            foreach (var map in owner.Maps)
            {
                if (!map.AutoCreate) continue;
                if (map.Spec.StructOps is not null)
                    refusals.Add($"map '{map.Name}': struct_ops, whose kernel type is the running kernel's");
                else if (map.Type == BpfMapType.Arena)
                    refusals.Add($"map '{map.Name}': an arena, mapped into the loading process");
                if (map.PinPath is not null)
                    refusals.Add($"map '{map.Name}': pinned at {map.PinPath}");
                if (map.Replacement is not null)
                    refusals.Add($"map '{map.Name}': reuses a map given at run time");
            }
            return refusals;
        }
    }
}
