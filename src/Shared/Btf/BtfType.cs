using System;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// An allocation-free view of one BTF type record. Reading a field decodes it from the spec's
    /// bytes; only <see cref="Name"/> (and member/param names) allocate. Type ids it returns are
    /// unvalidated: look them up with <see cref="BtfSpec.GetType"/>, which checks them.
    /// </summary>
    internal readonly struct BtfType
    {
        private readonly BtfSpec _spec;
        private readonly int _offset; // absolute position of the btf_type record; -1 for void

        internal BtfType(BtfSpec spec, int id, int offset)
        {
            _spec = spec;
            Id = id;
            _offset = offset;
        }

        public int Id { get; }

        /// <summary>The spec whose bytes hold this record (the base, for base types of split BTF).</summary>
        public BtfSpec Spec => _spec;

        public bool IsVoid => _offset < 0;

        private uint Info => IsVoid ? 0 : _spec.ReadU32(_offset + 4);

        // From the kinds the parse recorded: a byte read instead of decoding the info word.
        public BtfKind Kind => IsVoid ? BtfKind.Unknown : (BtfKind)_spec.OwnKind(Id - _spec.FirstTypeId);
        public uint NameOffset => IsVoid ? 0 : _spec.ReadU32(_offset);
        public string Name => IsVoid ? "void" : _spec.GetString(NameOffset);

        /// <summary>The name's UTF-8 bytes in the string section, for comparisons that need no string.</summary>
        internal ReadOnlySpan<byte> NameUtf8 => IsVoid ? default : _spec.GetStringUtf8(NameOffset);

        /// <summary>Whether the type has a name (anonymous structs, pointers and the like do not).</summary>
        public bool HasName => NameOffset != 0;

        /// <summary>Raw vlen bits: member/value/param/var count, or the linkage of a FUNC.</summary>
        public int Vlen => (int)(Info & 0xffffff);
        public bool KindFlag => (Info >> 31) != 0;

        /// <summary>The size/type union as stored.</summary>
        public uint SizeOrType => IsVoid ? 0 : _spec.ReadU32(_offset + 8);

        /// <summary>Byte size of INT, STRUCT, UNION, ENUM, ENUM64, DATASEC and FLOAT; 0 for other kinds.</summary>
        public uint Size => IsSized(Kind) ? SizeOrType : 0;

        /// <summary>The referenced type of PTR, TYPEDEF, modifiers, FUNC, FUNC_PROTO (return), VAR, DECL_TAG and TYPE_TAG; 0 otherwise.</summary>
        public int TypeId => References(Kind) ? unchecked((int)SizeOrType) : 0;

        public BtfIntEncoding Int
        {
            get
            {
                Expect(BtfKind.Int);
                return new BtfIntEncoding(_spec.ReadU32(_offset + 12));
            }
        }

        public BtfArray Array
        {
            get
            {
                Expect(BtfKind.Array);
                int at = _offset + 12;
                return new BtfArray(unchecked((int)_spec.ReadU32(at)), unchecked((int)_spec.ReadU32(at + 4)), _spec.ReadU32(at + 8));
            }
        }

        /// <summary>Signedness of INT (encoding) and ENUM/ENUM64 (kind_flag).</summary>
        public bool IsSigned => Kind switch
        {
            BtfKind.Int => Int.IsSigned,
            BtfKind.Enum or BtfKind.Enum64 => KindFlag,
            _ => false,
        };

        public BtfVarLinkage VarLinkage
        {
            get
            {
                Expect(BtfKind.Var);
                return (BtfVarLinkage)_spec.ReadU32(_offset + 12);
            }
        }

        public BtfFuncLinkage FuncLinkage
        {
            get
            {
                Expect(BtfKind.Func);
                return (BtfFuncLinkage)Vlen;
            }
        }

        /// <summary>DECL_TAG target: -1 for the declaration itself, else the member or parameter index.</summary>
        public int DeclTagComponentIndex
        {
            get
            {
                Expect(BtfKind.DeclTag);
                return unchecked((int)_spec.ReadU32(_offset + 12));
            }
        }

        /// <summary>What a FWD declares: <see cref="BtfKind.Union"/> when kind_flag is set, else <see cref="BtfKind.Struct"/>.</summary>
        public BtfKind ForwardKind
        {
            get
            {
                Expect(BtfKind.Forward);
                return KindFlag ? BtfKind.Union : BtfKind.Struct;
            }
        }

        public BtfMember GetMember(int index)
        {
            BtfKind kind = Kind;
            if (kind != BtfKind.Struct && kind != BtfKind.Union)
                throw WrongKind("members");
            int at = Element(index, 12);
            uint offset = _spec.ReadU32(at + 8);
            return KindFlag
                ? new BtfMember(_spec, _spec.ReadU32(at), unchecked((int)_spec.ReadU32(at + 4)), offset & 0xffffff, (byte)(offset >> 24))
                : new BtfMember(_spec, _spec.ReadU32(at), unchecked((int)_spec.ReadU32(at + 4)), offset, 0);
        }

        public BtfEnumValue GetEnumValue(int index)
        {
            BtfKind kind = Kind;
            if (kind == BtfKind.Enum)
            {
                int at = Element(index, 8);
                uint raw = _spec.ReadU32(at + 4);
                long value = KindFlag ? unchecked((int)raw) : raw;
                return new BtfEnumValue(_spec, _spec.ReadU32(at), value);
            }
            if (kind == BtfKind.Enum64)
            {
                int at = Element(index, 12);
                ulong raw = _spec.ReadU32(at + 4) | ((ulong)_spec.ReadU32(at + 8) << 32);
                return new BtfEnumValue(_spec, _spec.ReadU32(at), unchecked((long)raw));
            }
            throw WrongKind("enum values");
        }

        public BtfParam GetParam(int index)
        {
            if (Kind != BtfKind.FuncProto)
                throw WrongKind("parameters");
            int at = Element(index, 8);
            return new BtfParam(_spec, _spec.ReadU32(at), unchecked((int)_spec.ReadU32(at + 4)));
        }

        public BtfVarSecInfo GetVarSecInfo(int index)
        {
            if (Kind != BtfKind.Datasec)
                throw WrongKind("variables");
            int at = Element(index, 12);
            return new BtfVarSecInfo(unchecked((int)_spec.ReadU32(at)), _spec.ReadU32(at + 4), _spec.ReadU32(at + 8));
        }

        public MemberList Members => new MemberList(this);

        internal int RecordOffset => _offset;

        private int Element(int index, int size)
        {
            if ((uint)index >= (uint)Vlen)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"type {Id} has {Vlen} elements");
            return _offset + 12 + index * size;
        }

        private void Expect(BtfKind kind)
        {
            if (Kind != kind)
                throw WrongKind(kind.ToString());
        }

        private InvalidOperationException WrongKind(string what)
            => new InvalidOperationException($"type {Id} is {Kind}, it has no {what}");

        internal static bool IsSized(BtfKind kind) => kind switch
        {
            BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Datasec or BtfKind.Float => true,
            _ => false,
        };

        internal static bool References(BtfKind kind) => kind switch
        {
            BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Func
                or BtfKind.FuncProto or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag => true,
            _ => false,
        };

        public override string ToString() => IsVoid ? "[0] void" : $"[{Id}] {Kind} '{(HasName ? Name : "(anon)")}'";

        /// <summary>Allocation-free enumeration of a struct's or union's members.</summary>
        internal readonly struct MemberList
        {
            private readonly BtfType _type;

            internal MemberList(BtfType type) => _type = type;

            public int Count => _type.Kind is BtfKind.Struct or BtfKind.Union ? _type.Vlen : 0;

            public BtfMember this[int index] => _type.GetMember(index);

            public Enumerator GetEnumerator() => new Enumerator(_type, Count);

            internal struct Enumerator
            {
                private readonly BtfType _type;
                private readonly int _count;
                private int _index;

                internal Enumerator(BtfType type, int count)
                {
                    _type = type;
                    _count = count;
                    _index = -1;
                }

                public BtfMember Current => _type.GetMember(_index);

                public bool MoveNext() => ++_index < _count;
            }
        }
    }
}
