using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using BpfSkeleton.Elf;
using BpfSkeleton.Handles;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// Opening a file reads only the sections the loader uses (ElfLoaderImage); the object it yields
/// must be the very one parsing the whole file yields.
/// </summary>
public class ObjectFileReaderTests
{
    [Theory]
    [MemberData(nameof(ObjectFiles.AllAsTheory), MemberType = typeof(ObjectFiles))]
    public void SkippingDebugSectionsYieldsTheSameObject(string fileName)
    {
        string path = ObjectFiles.PathOf(fileName);
        byte[] whole = File.ReadAllBytes(path);
        byte[] image = ObjectFileReader.Read(path);

        BpfObjectSpec fromWhole;
        try
        {
            fromWhole = BpfObjectSpec.Parse(whole, fileName);
        }
        catch (BpfFormatException refused)
        {
            // An object refused at open (on purpose) is refused alike from the image.
            Assert.Equal(refused.Message, Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(image, fileName)).Message);
            return;
        }
        var fromImage = BpfObjectSpec.Parse(image, fileName);
        string expected = SpecDump.Describe(fromWhole);
        Assert.Equal(expected, SpecDump.Describe(fromImage));
        foreach (var program in fromWhole.Programs)
            Assert.Contains($"Name={program.Name} ", expected); // the dump reaches into the programs
        foreach (var section in fromWhole.Elf.Sections.Where(s => !ElfStripper.IsDroppable(s) && !s.Name.StartsWith(".rel.debug", StringComparison.Ordinal)))
            Assert.True(section.Data.Span.SequenceEqual(fromImage.Elf.Sections[section.Index].Data.Span), $"{section.Name} differs");

        if (whole.Length >= 64 * 1024 && fromWhole.Elf.Sections.Any(s => s.Name.StartsWith(".debug_info", StringComparison.Ordinal)))
            Assert.True(image.Length < whole.Length / 2, $"{fileName}: read {image.Length} of {whole.Length} bytes; DWARF should have been skipped");
    }

    /// <summary>Uprobe and USDT lookups read a binary's symbols, strings, notes and segments, not its code.</summary>
    [Fact]
    public void BinariesKeepTheirSymbolsNotesAndSegments()
    {
        string libc = File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libc.so", StringComparison.Ordinal))
            .Select(fields => fields[5]).First();
        foreach (string path in new[] { libc, Environment.ProcessPath! })
        {
            byte[] whole = File.ReadAllBytes(path);
            byte[] image = ObjectFileReader.ReadSymbolsAndNotes(path);
            var full = ElfFile.Parse(whole, path, ElfParseOptions.AnyMachine);
            var picked = ElfFile.Parse(image, path, ElfParseOptions.AnyMachine);

            Assert.Equal(Symbols(full.Symbols), Symbols(picked.Symbols));
            Assert.Equal(Symbols(full.DynamicSymbols), Symbols(picked.DynamicSymbols));
            Assert.Equal(full.ProgramHeaders.Select(h => (h.Type, h.Flags, h.Offset, h.VirtualAddress, h.FileSize, h.MemorySize)),
                picked.ProgramHeaders.Select(h => (h.Type, h.Flags, h.Offset, h.VirtualAddress, h.FileSize, h.MemorySize)));
            Assert.Equal(full.Sections.Select(s => (s.Name, s.Type, s.Flags, s.Address)), picked.Sections.Select(s => (s.Name, s.Type, s.Flags, s.Address)));
            foreach (var note in full.Sections.Where(s => s.Type == ElfConstants.SHT_NOTE))
                Assert.True(note.Data.Span.SequenceEqual(picked.Sections[note.Index].Data.Span), $"{path}: {note.Name} differs");
            if (whole.Length > 1024 * 1024)
                Assert.True(image.Length < whole.Length / 4, $"{path}: read {image.Length} of {whole.Length} bytes; code should have been skipped");
        }
    }

    private static IEnumerable<(string, ulong, ulong, byte, byte, ushort)> Symbols(IReadOnlyList<ElfSymbol> symbols)
        => symbols.Select(s => (s.Name, s.Value, s.Size, s.Bind, s.Type, s.SectionIndex));

    [Fact]
    public void DamagedHeadersFallBackToTheWholeFileAndItsError()
    {
        byte[] bytes = File.ReadAllBytes(ObjectFiles.Named("tcp_cc"));
        Assert.True(bytes.Length > 64 * 1024);
        var elf = ElfFile.Parse(bytes, "tcp_cc");
        // Point .BTF's data past the end of the file: the picker must not read it, the parser must report it.
        var btf = elf.FindSection(".BTF")!;
        long header = (long)BitConverter.ToUInt64(bytes, 40) + btf.Index * 64L;
        BitConverter.GetBytes((ulong)bytes.Length + 16).CopyTo(bytes, (int)header + 24);

        string path = Path.Combine(Path.GetTempPath(), $"bpfsk_damaged_{Guid.NewGuid():N}.o");
        File.WriteAllBytes(path, bytes);
        try
        {
            byte[] image = ObjectFileReader.Read(path);
            Assert.Equal(bytes, image);
            var error = Assert.Throws<BpfFormatException>(() => BpfObject.Open(path));
            Assert.Contains("outside", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A pipe has no size and no positioned reads: the object is read to its end instead.</summary>
    [Fact]
    public async System.Threading.Tasks.Task AnObjectCanComeThroughAPipe()
    {
        string fifo = Path.Combine(Path.GetTempPath(), $"bpfsk_fifo_{Guid.NewGuid():N}");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        try
        {
            byte[] bytes = File.ReadAllBytes(ObjectFiles.Named("globals"));
            var writer = System.Threading.Tasks.Task.Run(() => File.WriteAllBytes(fifo, bytes));
            using var obj = BpfObject.Open(fifo);
            await writer;
            Assert.Contains(obj.Programs, p => p.Name.Length > 0);
            Assert.Equal(BpfObjectSpec.Parse(bytes, "globals").Programs.Count, obj.Programs.Count);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public void AFileThatIsNotElfIsReportedAsSuch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bpfsk_text_{Guid.NewGuid():N}.o");
        File.WriteAllText(path, new string('x', 100_000));
        try
        {
            var error = Assert.Throws<BpfFormatException>(() => BpfObject.Open(path));
            Assert.Contains("not an ELF file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A deterministic text form of a spec's public object graph (ELF and BTF objects by reference only).</summary>
    private static class SpecDump
    {
        public static string Describe(object root)
        {
            var text = new StringBuilder();
            Write(text, root, 0, new HashSet<object>(ReferenceEqualityComparer.Instance));
            return text.ToString();
        }

        private static void Write(StringBuilder text, object? value, int depth, HashSet<object> seen)
        {
            switch (value)
            {
                case null:
                    text.Append("null");
                    return;
                case string or Enum or IFormattable or bool:
                    text.Append(value);
                    return;
                case byte[] bytes:
                    text.Append(Convert.ToHexString(bytes));
                    return;
                case ElfFile or ElfSection or Btf.BtfSpec or Btf.BtfExt:
                    text.Append('<').Append(value.GetType().Name).Append('>');
                    return;
            }
            var type = value.GetType();
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ReadOnlyMemory<>))
            {
                text.Append(Convert.ToHexString(((ReadOnlyMemory<byte>)value).Span));
                return;
            }
            if (!type.IsValueType && !seen.Add(value))
            {
                text.Append("<seen ").Append(type.Name).Append('>');
                return;
            }
            if (value is IEnumerable items)
            {
                text.Append('[');
                foreach (var item in items)
                {
                    Write(text, item, depth + 1, seen);
                    text.Append(", ");
                }
                text.Append(']');
                return;
            }
            text.Append(type.Name).Append(" {");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (property.GetIndexParameters().Length > 0) continue;
                text.Append(' ').Append(property.Name).Append('=');
                Write(text, property.GetValue(value), depth + 1, seen);
            }
            text.Append(" }");
        }
    }
}
