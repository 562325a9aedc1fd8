using System.Collections.Generic;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// What the light skeleton's loader cannot yet replay for an object: each entry names the feature and
    /// where the object uses it. The loader is recorded on the build machine; what the running kernel decides
    /// is left to it: CO-RE relocations, attach targets, ksyms and kfuncs are resolved by the kernel the loader
    /// runs on, kconfig values and struct_ops layouts are read where it runs. What cannot be (an arena mapped into
    /// the loading process, pins, maps given at run time) is refused.
    /// </summary>
    internal static class LightPathLimits
    {
        public static List<string> Find(ILoadSource owner)
        {
            var refusals = new List<string>();
            var spec = owner.Spec;
            foreach (var program in owner.Programs)
            {
                if (!program.AutoLoad && !program.IsStructOps) continue;
                if (program.AttachProgram is not null)
                    refusals.Add($"program '{program.Name}': attaches to another BPF program, which exists only at run time");
            }
            foreach (var map in owner.Maps)
            {
                if (!map.AutoCreate) continue;
                if (map.Type == BpfMapType.Arena)
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
