using System;
using System.Collections.Generic;
using System.Text;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// Edits a copy of a spec's own BTF: fixes up DATASEC sizes and offsets, linkage, and rewrites
    /// kinds an older kernel rejects. Every rewrite keeps each record's length, so type offsets
    /// stay valid; new types and strings are appended at the end.
    /// </summary>
    internal partial class BtfPatcher
    {
        private readonly BtfSpec _spec;
        private byte[] _bytes;
        private bool _bytesHandedOut; // ToArray returned _bytes itself: copy before the next write
        private readonly bool _little;
        private readonly List<byte> _newTypes = new List<byte>();
        private readonly List<byte> _newStrings = new List<byte>();
        private int _newTypeCount;
        private bool _dropLayout;

        public BtfPatcher(BtfSpec spec)
        {
            _spec = spec ?? throw new ArgumentNullException(nameof(spec));
            _bytes = spec.RawBytes.ToArray();
            _little = spec.IsLittleEndian;
        }

        public BtfSpec Original => _spec;

        /// <summary>Sets the size of a DATASEC (or any sized kind).</summary>
        public void SetSize(int id, uint size)
        {
            BtfType t = Own(id);
            if (!BtfType.IsSized(t.Kind))
                throw new InvalidOperationException($"type {id} is {t.Kind}, which has no size");
            Write(t.RecordOffset + 8, size);
        }

        public void SetVarSecInfo(int datasecId, int index, uint offset, uint size)
        {
            BtfType t = Own(datasecId, BtfKind.Datasec);
            if ((uint)index >= (uint)t.Vlen)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"DATASEC {datasecId} has {t.Vlen} variables");
            int at = t.RecordOffset + 12 + index * 12;
            Write(at + 4, offset);
            Write(at + 8, size);
        }

        public void SetVarLinkage(int varId, BtfVarLinkage linkage)
            => Write(Own(varId, BtfKind.Var).RecordOffset + 12, (uint)linkage);

        public void SetFuncLinkage(int funcId, BtfFuncLinkage linkage)
        {
            BtfType t = Own(funcId, BtfKind.Func);
            SetInfo(t, BtfKind.Func, kindFlag: false, vlen: (int)linkage);
        }

        /// <summary>Changes a record's kind bits (vlen and kind_flag as given), leaving the rest as stored.</summary>
        public void SetKind(int id, BtfKind kind, bool kindFlag, int vlen) => SetInfo(Own(id), kind, kindFlag, vlen);

        public void SetNameOffset(int id, uint nameOffset) => Write(Own(id).RecordOffset, nameOffset);

        /// <summary>Appends an INT (as libbpf's btf__add_int) and returns its id.</summary>
        public int AddInt(string name, uint byteSize, BtfIntFlags encoding)
        {
            if (byteSize == 0 || byteSize > 16)
                throw new ArgumentOutOfRangeException(nameof(byteSize));
            uint nameOffset = AddString(name);
            AppendU32(_newTypes, nameOffset);
            AppendU32(_newTypes, (uint)BtfKind.Int << 24);
            AppendU32(_newTypes, byteSize);
            AppendU32(_newTypes, ((uint)encoding << 24) | (byteSize * 8));
            _newTypeCount++;
            return _spec.TypeCount + _newTypeCount;
        }

        /// <summary>Appends a string to the string section and returns its offset.</summary>
        public uint AddString(string value)
        {
            uint offset = _spec.EndStringOffset + (uint)_newStrings.Count;
            _newStrings.AddRange(Encoding.UTF8.GetBytes(value));
            _newStrings.Add(0);
            return offset;
        }

        /// <summary>Rewrites what a kernel without <paramref name="supported"/> features would reject, as libbpf does before BTF_LOAD.</summary>
        public void Sanitize(BtfFeatures supported) => BtfSanitizer.Sanitize(this, supported);

        /// <summary>Serialized BTF: header, types (with appended ones), strings (with appended ones), layout if kept.</summary>
        public byte[] ToArray()
        {
            uint typeLength = _spec.TypeSectionLength + (uint)_newTypes.Count;
            uint stringLength = _spec.StringSectionLength + (uint)_newStrings.Count;
            bool keepLayout = !_dropLayout && _spec.LayoutSectionLength != 0;
            uint headerLength = keepLayout ? 32u : 24u;
            uint layoutLength = keepLayout ? _spec.LayoutSectionLength : 0;
            if (_newTypes.Count == 0 && _newStrings.Count == 0 && IsCanonical(headerLength, keepLayout))
            {
                _bytesHandedOut = true;
                return _bytes; // the patched copy already is the output, byte for byte
            }
            var output = new byte[checked(headerLength + typeLength + stringLength + layoutLength)];
            var span = output.AsSpan();
            ByteOrder.WriteU16(span, _little, 0xeb9f);
            output[2] = _spec.Version;
            output[3] = _spec.Flags;
            ByteOrder.WriteU32(span.Slice(4), _little, headerLength);
            ByteOrder.WriteU32(span.Slice(8), _little, 0);
            ByteOrder.WriteU32(span.Slice(12), _little, typeLength);
            ByteOrder.WriteU32(span.Slice(16), _little, typeLength);
            ByteOrder.WriteU32(span.Slice(20), _little, stringLength);
            if (keepLayout)
            {
                ByteOrder.WriteU32(span.Slice(24), _little, typeLength + stringLength);
                ByteOrder.WriteU32(span.Slice(28), _little, layoutLength);
            }
            int at = (int)headerLength;
            _bytes.AsSpan(_spec.TypeSectionStart, (int)_spec.TypeSectionLength).CopyTo(span.Slice(at));
            at += (int)_spec.TypeSectionLength;
            _newTypes.CopyTo(output, at);
            at += _newTypes.Count;
            _bytes.AsSpan((int)(_spec.HeaderLength + _spec.StringSectionOffset), (int)_spec.StringSectionLength).CopyTo(span.Slice(at));
            at += (int)_spec.StringSectionLength;
            _newStrings.CopyTo(output, at);
            at += _newStrings.Count;
            if (keepLayout)
                _bytes.AsSpan((int)(_spec.HeaderLength + _spec.LayoutSectionOffset), (int)layoutLength).CopyTo(span.Slice(at));
            return output;
        }

        /// <summary>Whether the original bytes are laid out exactly as <see cref="ToArray"/> writes them: header, types, strings (, layout), no gaps.</summary>
        private bool IsCanonical(uint headerLength, bool keepLayout)
        {
            if (_spec.HeaderLength != headerLength || _spec.TypeSectionOffset != 0 || _spec.StringSectionOffset != _spec.TypeSectionLength)
                return false;
            uint end = _spec.TypeSectionLength + _spec.StringSectionLength;
            if (keepLayout)
            {
                if (_spec.LayoutSectionOffset != end) return false;
                end += _spec.LayoutSectionLength;
            }
            else if (_spec.LayoutSectionLength != 0)
            {
                return false;
            }
            return _bytes.Length == headerLength + end;
        }

        public BtfSpec ToSpec() => BtfSpec.Parse(ToArray(), _spec.FileName, _spec.Base);

        internal void DropLayout() => _dropLayout = true;

        /// <summary>The type as currently patched (appended types are not visible here).</summary>
        internal BtfType Own(int id)
        {
            if (id < _spec.FirstTypeId || id > _spec.TypeCount)
                throw new ArgumentOutOfRangeException(nameof(id), id, $"type {id} is not one of this spec's own types ({_spec.FirstTypeId}..{_spec.TypeCount})");
            return _spec.GetType(id);
        }

        private BtfType Own(int id, BtfKind kind)
        {
            BtfType t = Own(id);
            BtfKind current = CurrentKind(t);
            if (current != kind)
                throw new InvalidOperationException($"type {id} is {current}, not {kind}");
            return t;
        }

        internal BtfKind CurrentKind(BtfType t) => (BtfKind)((Read(t.RecordOffset + 4) >> 24) & 0x7f);
        internal int CurrentVlen(BtfType t) => (int)(Read(t.RecordOffset + 4) & 0xffffff);
        internal uint CurrentNameOffset(BtfType t)
            => ReferenceEquals(t.Spec, _spec) && !t.IsVoid ? Read(t.RecordOffset) : t.NameOffset;

        internal void SetInfo(BtfType t, BtfKind kind, bool kindFlag, int vlen)
        {
            if ((uint)vlen > 0xffffff)
                throw new ArgumentOutOfRangeException(nameof(vlen));
            Write(t.RecordOffset + 4, ((uint)kind << 24) | (kindFlag ? 1u << 31 : 0) | (uint)vlen);
        }

        internal uint Read(int position) => ByteOrder.U32(_bytes.AsSpan(position), _little);

        internal void Write(int position, uint value) => ByteOrder.WriteU32(WritableBytes().AsSpan(position), _little, value);

        private byte[] WritableBytes()
        {
            if (_bytesHandedOut)
            {
                _bytes = (byte[])_bytes.Clone();
                _bytesHandedOut = false;
            }
            return _bytes;
        }

        /// <summary>Rewrites an own string's bytes in place (same length), e.g. '.' in DATASEC names.</summary>
        internal void MapString(uint offset, Func<int, byte, byte> map)
        {
            if (offset == 0)
                return;
            BtfSpec owner = _spec.LocateString(offset, out int position);
            if (!ReferenceEquals(owner, _spec))
                throw new InvalidOperationException($"string {offset} belongs to the base BTF");
            byte[] bytes = WritableBytes();
            for (int i = position; bytes[i] != 0; i++)
                bytes[i] = map(i - position, bytes[i]);
        }

        private void AppendU32(List<byte> into, uint value)
        {
            var buffer = new byte[4];
            ByteOrder.WriteU32(buffer, _little, value);
            into.AddRange(buffer);
        }
    }
}
