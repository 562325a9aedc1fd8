using BpfSkeleton.Btf;
using BpfSkeleton.Loading;
using BpfSkeleton.Logging;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>
    /// Where a struct_ops type lives in the kernel: the struct (programs' attach_btf_id), the
    /// <c>bpf_struct_ops_&lt;name&gt;</c> value type (the map's btf_vmlinux_value_type_id) and the
    /// offset of the struct inside the value's <c>data</c> member.
    /// </summary>
    internal sealed class StructOpsKernelType
    {
        public StructOpsKernelType(BtfSpec btf, string? module, int structTypeId, int valueTypeId, int dataOffset, int valueSize)
        {
            Btf = btf;
            Module = module;
            StructTypeId = structTypeId;
            ValueTypeId = valueTypeId;
            DataOffset = dataOffset;
            ValueSize = valueSize;
        }

        public BtfSpec Btf { get; }

        /// <summary>The module whose BTF holds the type, or null for vmlinux.</summary>
        public string? Module { get; }

        public int StructTypeId { get; }

        public int ValueTypeId { get; }

        public int DataOffset { get; }

        public int ValueSize { get; }

        /// <summary>Finds <paramref name="name"/> in vmlinux, then in module BTF; null if no kernel BTF has it.</summary>
        public static StructOpsKernelType? Find(BtfSpec vmlinux, bool searchModules, string name)
        {
            using var trace = LoadTrace.Phase($"struct_ops: kernel type {name} found");
            var found = TryIn(vmlinux, null, name);
            if (found is not null || !searchModules) return found;
            foreach (var module in KernelTypes.ModuleNames())
            {
                var btf = KernelTypes.Module(module);
                if (btf is null) continue;
                found = TryIn(btf, module, name);
                if (found is not null) return found;
            }
            return null;
        }

        private static StructOpsKernelType? TryIn(BtfSpec btf, string? module, string name)
        {
            if (!btf.TryFindByName(name, BtfKind.Struct, out var structId)) return null;
            if (!btf.TryFindByName("bpf_struct_ops_" + name, BtfKind.Struct, out var valueId)) return null;
            // Module specs find vmlinux types too; only accept ids this spec owns.
            if (module is not null && (structId < btf.FirstTypeId || valueId < btf.FirstTypeId)) return null;
            var value = btf.GetType(valueId);
            for (var i = 0; i < value.Vlen; i++)
            {
                var member = value.GetMember(i);
                if (member.Name == "data")
                    return new StructOpsKernelType(btf, module, structId, valueId, (int)(member.BitOffset / 8), (int)value.Size);
            }
            return null;
        }
    }
}
