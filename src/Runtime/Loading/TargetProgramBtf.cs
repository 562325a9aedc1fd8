using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Finds a function in a loaded program's BTF, as libbpf's libbpf_find_prog_btf_id does: the
    /// BTF type id freplace and fentry/fexit on a BPF program give as attach_btf_id at load and as
    /// target_btf_id at attach.
    /// </summary>
    internal static class TargetProgramBtf
    {
        /// <summary>How many function names an error lists before "…".</summary>
        private const int ListedFunctions = 8;

        public static int FindFunction(BpfProgramHandle target, string functionName)
        {
            uint btfId = target.Info.BtfId; // fixed at load, so the cached info is current
            if (btfId == 0)
                throw new BpfLoadException($"{target} has no BTF, so none of its functions can be found by name; load it from a clang -g object (with BTF and func_info)");
            using var btf = BtfHandle.FromId(btfId);
            var spec = BtfSpec.Parse(btf.ReadRawBtf(), $"BTF {btfId} of {target}");
            return FindFunction(spec, functionName, target.ToString());
        }

        /// <summary>The id of FUNC <paramref name="functionName"/>; otherwise an error listing the functions there are.</summary>
        internal static int FindFunction(BtfSpec spec, string functionName, string target)
        {
            if (spec.TryFindByName(functionName, BtfKind.Func, out int id))
                return id;
            var functions = Functions(spec).ToList();
            string present = functions.Count == 0
                ? "its BTF has no functions at all"
                : $"its BTF has {string.Join(", ", functions.Take(ListedFunctions))}{(functions.Count > ListedFunctions ? $", … ({functions.Count} functions)" : "")}";
            throw new BpfLoadException($"{target} has no function '{functionName}' in its BTF ({present})");
        }

        private static IEnumerable<string> Functions(BtfSpec spec)
        {
            for (int id = spec.FirstTypeId; id <= spec.TypeCount; id++)
            {
                var type = spec.GetType(id);
                if (type.Kind == BtfKind.Func)
                    yield return type.Name;
            }
        }
    }
}
