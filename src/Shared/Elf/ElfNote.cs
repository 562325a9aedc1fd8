using System;
using System.Collections.Generic;

namespace BpfSkeleton.Elf
{
    /// <summary>One entry of an SHT_NOTE section: the owner's name, a type number and the descriptor bytes.</summary>
    internal sealed class ElfNote
    {
        private ElfNote(string owner, uint type, ReadOnlyMemory<byte> descriptor, int offset)
        {
            Owner = owner;
            Type = type;
            Descriptor = descriptor;
            Offset = offset;
        }

        /// <summary>The note's name field without its NUL ("stapsdt", "GNU", …).</summary>
        public string Owner { get; }

        /// <summary>n_type: meaning depends on the owner (NT_STAPSDT is 3).</summary>
        public uint Type { get; }

        public ReadOnlyMemory<byte> Descriptor { get; }

        /// <summary>Where the note's header starts in its section.</summary>
        public int Offset { get; }

        /// <summary>
        /// The notes of an SHT_NOTE section, in order. Each header (namesz, descsz, type) is followed by
        /// the name and the descriptor, each padded to the section's alignment (4, or 8 when sh_addralign says so).
        /// </summary>
        public static IReadOnlyList<ElfNote> Read(ElfFile file, ElfSection section)
        {
            if (file is null)
                throw new ArgumentNullException(nameof(file));
            if (section is null)
                throw new ArgumentNullException(nameof(section));
            if (section.Type != ElfConstants.SHT_NOTE)
                throw new BpfFormatException(file.FileName, section.Name, 0, $"not an SHT_NOTE section (type {section.Type})");
            int alignment = section.Alignment == 8 ? 8 : 4;
            ReadOnlyMemory<byte> data = section.Data;
            var notes = new List<ElfNote>();
            int at = 0;
            while (data.Length - at >= HeaderSize)
            {
                ReadOnlySpan<byte> header = data.Span.Slice(at, HeaderSize);
                uint nameSize = ByteOrder.U32(header, file.IsLittleEndian);
                uint descriptorSize = ByteOrder.U32(header.Slice(4), file.IsLittleEndian);
                uint type = ByteOrder.U32(header.Slice(8), file.IsLittleEndian);
                long nameStart = at + HeaderSize;
                long descriptorStart = nameStart + Align(nameSize, alignment);
                long end = descriptorStart + Align(descriptorSize, alignment);
                if (descriptorStart + descriptorSize > data.Length)
                    throw new BpfFormatException(file.FileName, section.Name, at,
                        $"note of {nameSize}-byte name and {descriptorSize}-byte descriptor runs past the section's {data.Length} bytes");
                // The name is NUL-terminated within namesz; tolerate a missing NUL as producers do.
                ReadOnlySpan<byte> name = data.Span.Slice((int)nameStart, (int)nameSize);
                int nul = name.IndexOf((byte)0);
                string owner = Utf8Text.Decode(data, (int)nameStart, nul < 0 ? name.Length : nul);
                notes.Add(new ElfNote(owner, type, data.Slice((int)descriptorStart, (int)descriptorSize), at));
                at = (int)Math.Min(end, data.Length);
            }
            return notes;
        }

        private const int HeaderSize = 12;

        private static long Align(uint size, int alignment) => ((long)size + alignment - 1) & ~(long)(alignment - 1);

        public override string ToString() => $"{Owner} type {Type} ({Descriptor.Length} bytes)";
    }
}
