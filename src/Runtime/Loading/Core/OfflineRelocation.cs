using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// The user-space half of loading without the kernel: every program linked with its
    /// subprograms and CO-RE-relocated against a target BTF. For benchmarks and for comparing
    /// relocated code with other loaders.
    /// </summary>
    internal static class OfflineRelocation
    {
        public static List<LinkedProgram> LinkAndRelocate(BpfObjectSpec spec, BtfSpec target)
        {
            var session = new CoreSession(spec, target, modules: null);
            var linked = new List<LinkedProgram>(spec.Programs.Count);
            foreach (var program in spec.Programs)
            {
                var one = ProgramLinker.Link(spec, program);
                if (one.CoreRelocations.Length > 0) CoreRelocator.Apply(session, one);
                linked.Add(one);
            }
            return linked;
        }
    }
}
