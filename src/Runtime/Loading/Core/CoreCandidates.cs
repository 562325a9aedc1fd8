using System.Collections.Generic;
using System.Runtime.CompilerServices;
using BpfSkeleton.Btf;

namespace BpfSkeleton
{
    /// <summary>
    /// Target types with the same essential name and kind as a local type, cached per target BTF so
    /// CO-RE-heavy objects (and repeated loads) do not rescan the kernel's types.
    /// </summary>
    internal static class CoreCandidates
    {
        private static readonly ConditionalWeakTable<BtfSpec, Dictionary<(string, BtfKind), int[]>> s_cache = new();

        public static int[] Find(BtfSpec target, string essentialName, BtfKind kind)
        {
            var cache = s_cache.GetValue(target, _ => new Dictionary<(string, BtfKind), int[]>());
            lock (cache)
            {
                if (cache.TryGetValue((essentialName, kind), out var cached)) return cached;
            }
            var found = new List<int>();
            foreach (var id in target.FindAllByName(essentialName, kind))
                found.Add(id);
            // Flavored kernel types (name___x) are candidates too, as libbpf allows.
            var result = found.ToArray();
            lock (cache)
            {
                cache[(essentialName, kind)] = result;
            }
            return result;
        }
    }
}
