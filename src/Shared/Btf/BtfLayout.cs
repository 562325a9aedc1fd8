namespace BpfSkeleton.Btf
{
    /// <summary>Fixed sizes of the BTF wire format.</summary>
    internal static class BtfLayout
    {
        public const ushort Magic = 0xeb9f;
        public const int MinHeaderSize = 24;
        public const int HeaderSizeWithLayout = 32;
        public const int TypeHeaderSize = 12;
        public const int MaxTypeId = 0xfffff;
        public const int MaxKind = (int)BtfKind.Enum64;

        /// <summary>The deepest modifier/typedef/array chain a resolver follows (libbpf uses the same bound).</summary>
        public const int MaxResolveDepth = 32;

        /// <summary>The deepest struct nesting the alignment resolver follows before calling the BTF cyclic.</summary>
        public const int MaxNestingDepth = 64;

        /// <summary>Bytes after btf_type that every type of a kind has, indexed by kind.</summary>
        public static readonly byte[] FixedTail =
        {
            0, // unknown
            4, // int
            0, // ptr
            12, // array
            0, 0, 0, // struct, union, enum
            0, 0, 0, 0, 0, // fwd, typedef, volatile, const, restrict
            0, 0, // func, func_proto
            4, // var
            0, 0, // datasec, float
            4, // decl_tag
            0, // type_tag
            0, // enum64
        };

        /// <summary>Bytes per vlen element after btf_type, indexed by kind (0: vlen is not an element count).</summary>
        public static readonly byte[] ElementSize =
        {
            0, 0, 0, 0,
            12, 12, 8, // struct, union, enum
            0, 0, 0, 0, 0,
            0, 8, // func (vlen is linkage), func_proto
            0,
            12, 0, // datasec, float
            0, 0,
            12, // enum64
        };
    }
}
