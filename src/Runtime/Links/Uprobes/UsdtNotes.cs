using System;
using System.Collections.Generic;
using BpfSkeleton.Elf;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Reads the SystemTap SDT notes (owner "stapsdt", type 3) of an executable or shared object. Each
    /// descriptor holds three addresses (pc, .stapsdt.base, semaphore) then provider, name and argument
    /// strings, each NUL-terminated.
    /// </summary>
    internal static class UsdtNotes
    {
        public const string NoteSection = ".note.stapsdt";
        public const string BaseSection = ".stapsdt.base";
        private const string Owner = "stapsdt";
        private const uint NoteType = 3;

        /// <summary>Every USDT note of <paramref name="elf"/>, in file order.</summary>
        public static List<UsdtNote> Read(ElfFile elf)
        {
            ElfSection section = elf.FindSection(NoteSection)
                ?? throw new BpfException($"find USDT probes in '{elf.FileName}'", Errno.ENOENT, $"the file has no {NoteSection} section (built without <sys/sdt.h> probes?)");
            if (section.Type != ElfConstants.SHT_NOTE)
                throw new BpfException($"find USDT probes in '{elf.FileName}'", Errno.EINVAL, $"{NoteSection} is not an SHT_NOTE section (type {section.Type})");
            var notes = new List<UsdtNote>();
            foreach (ElfNote note in ElfNote.Read(elf, section))
            {
                if (note.Owner == Owner && note.Type == NoteType)
                    notes.Add(Decode(elf, note));
            }
            return notes;
        }

        internal static UsdtNote Decode(ElfFile elf, ElfNote note)
        {
            const int AddressesSize = 3 * 8;
            ReadOnlySpan<byte> descriptor = note.Descriptor.Span;
            if (descriptor.Length < AddressesSize + 3)
                throw Malformed(elf, note, $"descriptor is {descriptor.Length} bytes, too short for three addresses and three strings");
            ulong address = ByteOrder.U64(descriptor, elf.IsLittleEndian);
            ulong baseAddress = ByteOrder.U64(descriptor.Slice(8), elf.IsLittleEndian);
            ulong semaphore = ByteOrder.U64(descriptor.Slice(16), elf.IsLittleEndian);
            int at = AddressesSize;
            string provider = NextString(elf, note, ref at, "provider");
            string name = NextString(elf, note, ref at, "name");
            if (name.Length == 0)
                throw Malformed(elf, note, $"probe of provider '{provider}' has an empty name");
            string arguments = at < descriptor.Length ? NextString(elf, note, ref at, "arguments") : throw Malformed(elf, note, $"{provider}:{name} has no argument string");
            // Some producers write ":" for "no arguments"; libbpf reads both as none.
            if (arguments.StartsWith(":", StringComparison.Ordinal))
                arguments = string.Empty;
            return new UsdtNote(provider, name, address, baseAddress, semaphore, arguments);
        }

        private static string NextString(ElfFile elf, ElfNote note, ref int at, string what)
        {
            ReadOnlySpan<byte> rest = note.Descriptor.Span.Slice(at);
            int length = rest.IndexOf((byte)0);
            if (length < 0)
                throw Malformed(elf, note, $"the {what} string is not NUL-terminated");
            string text = Utf8Text.Decode(note.Descriptor, at, length);
            at += length + 1;
            return text;
        }

        private static BpfFormatException Malformed(ElfFile elf, ElfNote note, string problem)
            => new(elf.FileName, NoteSection, note.Offset, $"USDT note: {problem}");
    }
}
