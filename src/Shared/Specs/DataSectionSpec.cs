using System;
using System.Collections.Generic;

namespace BpfSkeleton.Specs
{
    /// <summary>What kind of global data a section holds; decides writability and how it is filled.</summary>
    public enum DataSectionKind
    {
        /// <summary><c>.bss</c> / <c>.bss.*</c>: zero-initialized, writable.</summary>
        Bss,
        /// <summary><c>.data</c> / <c>.data.*</c>: initialized, writable.</summary>
        Data,
        /// <summary><c>.rodata</c> / <c>.rodata.*</c>: initialized, frozen after load (writable before).</summary>
        ReadOnly,
        /// <summary><c>.kconfig</c>: extern <c>CONFIG_*</c> values filled by the loader, frozen.</summary>
        Kconfig,
        /// <summary>
        /// <c>.addr_space.1</c>: <c>__arena</c> globals. No map of their own: the loader copies them into the
        /// object's arena map (see <see cref="BpfObjectSpec.ArenaGlobals"/>).
        /// </summary>
        Arena,
    }

    /// <summary>A global data section and its variables, after libbpf's open-time datasec fixups.</summary>
    public sealed class DataSectionSpec
    {
        internal DataSectionSpec(string sectionName, DataSectionKind kind, byte[] initialData, int datasecTypeId)
        {
            SectionName = sectionName;
            Kind = kind;
            _image = initialData;
            _size = initialData.Length;
            DatasecTypeId = datasecTypeId;
            OriginalSize = initialData.Length;
        }

        /// <summary>
        /// A section of <paramref name="zeroFilledSize"/> zero bytes (<c>.bss</c>, SHT_NOBITS): nothing is allocated
        /// until the image is read or edited, so a header claiming a huge section costs nothing at open.
        /// </summary>
        internal DataSectionSpec(string sectionName, DataSectionKind kind, int zeroFilledSize, int datasecTypeId)
        {
            if (zeroFilledSize < 0 || zeroFilledSize > MaxImageSize)
                throw new ArgumentOutOfRangeException(nameof(zeroFilledSize), zeroFilledSize, $"a section image holds 0 to {MaxImageSize} bytes");
            SectionName = sectionName;
            Kind = kind;
            _size = zeroFilledSize;
            DatasecTypeId = datasecTypeId;
            OriginalSize = zeroFilledSize;
        }

        /// <summary>The largest image: the longest byte array .NET allows (Array.MaxLength, which netstandard2.0 lacks).</summary>
        internal const int MaxImageSize = 0x7FFFFFC7;

        /// <summary>The ELF section name, e.g. <c>.rodata</c> or <c>.data.custom</c>.</summary>
        public string SectionName { get; }

        /// <summary>What kind of section it is, which decides whether it is writable and frozen.</summary>
        public DataSectionKind Kind { get; }

        /// <summary>
        /// The initial image (zeros for <c>.bss</c>), edited before load through the opened object's global data.
        /// Its length is the map's value size.
        /// </summary>
        public ReadOnlyMemory<byte> InitialData => Image;

        // Null while a zero-filled section is untouched; its zeros are then made per read and not kept, so
        // reading (as Load() does) never changes the spec.
        private byte[]? _image;
        private int _size;

        /// <summary>The image, for readers in this library; never written by a load.</summary>
        internal byte[] Image => _image ?? new byte[_size];

        /// <summary>The image to edit: only through the opened object's guarded accessors, or a spec nobody opened.</summary>
        internal Span<byte> WritableImage()
        {
            Guard.BeforeEdit("", SectionName, " initial values");
            return _image ??= new byte[_size];
        }

        /// <summary>The opened object's edit check; see <see cref="SpecEditGuard"/>.</summary>
        internal SpecEditGuard Guard { get; set; } = SpecEditGuard.None;

        /// <summary>Size of the section in bytes.</summary>
        public int Size => _size;

        /// <summary>The size the object file gives the section; <see cref="Size"/> differs after <see cref="Resize"/>.</summary>
        public int OriginalSize { get; }

        /// <summary>
        /// After a <see cref="Resize"/> the object's BTF can follow: the last variable's array type and its new
        /// element count, which the loader writes into the DATASEC. Null when not resized or when BTF cannot follow.
        /// </summary>
        public (int ArrayTypeId, uint Count)? ResizedArray { get; private set; }

        /// <summary>
        /// Grows or shrinks the section, as libbpf's bpf_map__set_value_size does for global data: bytes are kept
        /// up to the new size and new ones are zero. BTF follows when the last variable is an array and the new
        /// size ends on a whole element (the array is resized); otherwise the section loses its BTF value type
        /// (returns false) and the map is created without it, as libbpf does.
        /// </summary>
        internal bool Resize(int size, Btf.BtfSpec? btf)
        {
            Guard.BeforeEdit("", SectionName, " size");
            if (size <= 0)
                throw new ArgumentOutOfRangeException(nameof(size), size, "a global data section needs at least one byte");
            var image = new byte[size];
            _image?.AsSpan(0, Math.Min(size, _image.Length)).CopyTo(image); // an untouched zero-filled image has nothing to keep
            _image = image;
            _size = size;
            ResizedArray = null;

            var last = Variables.Count == 0 ? null : Variables[Variables.Count - 1];
            if (btf is not null && DatasecTypeId != 0 && last is not null && last.Offset < size
                && btf.GetType(btf.SkipModifiersAndTypedefs(last.TypeId)) is { Kind: Btf.BtfKind.Array } array
                && btf.ResolveSize(array.Array.ElementTypeId) is var elementSize && elementSize > 0
                && (size - last.Offset) % elementSize == 0)
            {
                Variables.Set(Variables.Count - 1, new DataVariable(last.Name, last.Offset, size - last.Offset, last.TypeId, last.IsGlobal));
                ResizedArray = (array.Id, (uint)((size - last.Offset) / elementSize));
                return true;
            }
            Variables.RemoveAll(v => v.Offset + v.Size > size); // what no longer fits is gone
            return false;
        }

        /// <summary>The section's DATASEC type id in the object's BTF, 0 if the object has none.</summary>
        public int DatasecTypeId { get; }

        /// <summary>True for sections the program may not write (<c>.rodata*</c>, <c>.kconfig</c>): the map is frozen.</summary>
        public bool IsReadOnly => Kind == DataSectionKind.ReadOnly || Kind == DataSectionKind.Kconfig;

        /// <summary>Variables ordered by offset.</summary>
        public SpecList<DataVariable> Variables { get; } = new SpecList<DataVariable>();

        /// <summary>The variable named <paramref name="name"/>; null if the section has none.</summary>
        public DataVariable? FindVariable(string name)
        {
            foreach (var variable in Variables)
                if (variable.Name == name) return variable;
            return null;
        }

        /// <summary>
        /// The initial bytes of <paramref name="variable"/> in this section's image (of an untouched zero-filled section:
        /// zeros of its size). Throws <see cref="ArgumentOutOfRangeException"/> for a variable of another section that does not fit.
        /// </summary>
        public ReadOnlySpan<byte> VariableBytes(DataVariable variable)
            => _image is null ? new byte[variable.Size] : _image.AsSpan(variable.Offset, variable.Size);
    }

    /// <summary>One variable of a global data section.</summary>
    public sealed class DataVariable
    {
        internal DataVariable(string name, int offset, int size, int typeId, bool isGlobal)
        {
            Name = name;
            Offset = offset;
            Size = size;
            TypeId = typeId;
            IsGlobal = isGlobal;
        }

        /// <summary>The variable's C name.</summary>
        public string Name { get; }

        /// <summary>Byte offset inside the section (from the ELF symbol; BTF may say 0 before fixups).</summary>
        public int Offset { get; }

        /// <summary>The variable's size in bytes.</summary>
        public int Size { get; }

        /// <summary>The variable's type (not the VAR) in the object's BTF, 0 if unknown.</summary>
        public int TypeId { get; }

        /// <summary>False for <c>static</c> variables, which skeletons do not expose by default.</summary>
        public bool IsGlobal { get; }

        /// <summary>"name @offset (N bytes)" for messages.</summary>
        public override string ToString() => $"{Name} @{Offset} ({Size} bytes)";
    }
}
