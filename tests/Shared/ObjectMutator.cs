using System;
using System.Buffers.Binary;

namespace BpfSkeleton.Fuzzing;

/// <summary>
/// Deterministic structure-aware mutations of a little-endian ELF64 BPF object, shared by the fuzz tests and
/// the fuzzing harness: byte damage anywhere, and edits aimed at the fields parsers follow (section headers,
/// symbols, section contents such as BTF). The same seed and input always give the same mutant.
/// </summary>
public static class ObjectMutator
{
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const uint SymbolTableType = 2; // SHT_SYMTAB

    /// <summary>A mutant of <paramref name="original"/> (never changed) and what was done, for a failure message.</summary>
    public static byte[] Mutate(byte[] original, Random random, out string what)
    {
        var data = (byte[])original.Clone();
        int rounds = 1 + (random.Next(4) == 0 ? random.Next(4) : 0); // mostly one edit, sometimes a few
        what = "";
        for (int r = 0; r < rounds; r++)
            what += (r == 0 ? "" : "; ") + MutateOnce(ref data, random);
        return data;
    }

    private static string MutateOnce(ref byte[] data, Random random)
    {
        if (data.Length < 64) return FlipBits(data, random, 0, data.Length);
        switch (random.Next(9))
        {
            case 0: return FlipBits(data, random, 0, data.Length);
            case 1:
                int cut = random.Next(data.Length);
                data = data.AsSpan(0, cut).ToArray();
                return $"truncated at {cut}";
            case 2: return WriteWord(data, random, 0, Math.Min(64, data.Length), "ELF header");
            case 3: return SectionHeaderField(data, random);
            case 4: return SymbolField(data, random);
            case 5:
            case 6:
                // Inside one section's bytes: where BTF, BTF.ext, relocations and instructions live.
                var (start, length, name) = RandomSection(data, random);
                return random.Next(2) == 0 ? FlipBits(data, random, start, length) + " in " + name : WriteWord(data, random, start, length, name);
            case 7:
                int from = random.Next(data.Length), to = random.Next(data.Length), count = random.Next(1, 64);
                count = Math.Min(count, Math.Min(data.Length - from, data.Length - to));
                data.AsSpan(from, count).CopyTo(data.AsSpan(to, count));
                return $"copied {count} bytes from {from} to {to}";
            default:
                int zero = random.Next(data.Length), zeros = Math.Min(random.Next(1, 32), data.Length - zero);
                data.AsSpan(zero, zeros).Clear();
                return $"zeroed {zeros} bytes at {zero}";
        }
    }

    private static string FlipBits(byte[] data, Random random, int start, int length)
    {
        if (length <= 0) return "nothing to flip";
        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips; i++)
            data[start + random.Next(length)] ^= (byte)(1 << random.Next(8));
        return $"{flips} bit flips";
    }

    private static string WriteWord(byte[] data, Random random, int start, int length, string where)
    {
        if (length < 4) return "no room for a word";
        int at = start + (random.Next(length - 3) & ~3);
        if (at + 4 > data.Length) return "no room for a word";
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), EdgeWord(random));
        return $"word at {at} in {where}";
    }

    /// <summary>One field (type, flags, offset, size, link, info, entry size) of a random section header.</summary>
    private static string SectionHeaderField(byte[] data, Random random)
    {
        if (!TrySectionHeaders(data, out long table, out int count) || count == 0) return WriteWord(data, random, 0, data.Length, "file");
        int index = random.Next(count);
        long header = table + (long)index * SectionHeaderSize;
        int[] fields = { 4, 8, 24, 32, 40, 44, 56 }; // sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_entsize
        int field = fields[random.Next(fields.Length)];
        if (header + field + 8 > data.Length) return "section header out of file";
        if (field is 4 or 40 or 44)
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan((int)(header + field)), EdgeWord(random));
        else
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan((int)(header + field)), EdgeLong(random));
        return $"section {index} header field {field}";
    }

    /// <summary>One field (info, section index, value, size) of a random symbol.</summary>
    private static string SymbolField(byte[] data, Random random)
    {
        if (!TrySectionHeaders(data, out long table, out int count)) return WriteWord(data, random, 0, data.Length, "file");
        for (int i = 0; i < count; i++)
        {
            long header = table + (long)i * SectionHeaderSize;
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)header + 4)) != SymbolTableType) continue;
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)header + 24));
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)header + 32));
            if (offset >= (ulong)data.Length || size < SymbolSize) break;
            long symbols = (long)Math.Min(size, (ulong)data.Length - offset) / SymbolSize;
            if (symbols == 0) break;
            long symbol = (long)offset + random.Next((int)Math.Min(symbols, int.MaxValue)) * (long)SymbolSize;
            switch (random.Next(4))
            {
                case 0: data[symbol + 4] = (byte)random.Next(256); return $"symbol at {symbol}: st_info";
                case 1: BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan((int)symbol + 6), (ushort)EdgeWord(random)); return $"symbol at {symbol}: st_shndx";
                case 2: BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan((int)symbol + 8), EdgeLong(random)); return $"symbol at {symbol}: st_value";
                default: BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan((int)symbol + 16), EdgeLong(random)); return $"symbol at {symbol}: st_size";
            }
        }
        return WriteWord(data, random, 0, data.Length, "file");
    }

    /// <summary>A random section's byte range as its header gives it, clamped to the file.</summary>
    private static (int Start, int Length, string Name) RandomSection(byte[] data, Random random)
    {
        if (!TrySectionHeaders(data, out long table, out int count) || count == 0) return (0, data.Length, "file");
        int index = random.Next(count);
        long header = table + (long)index * SectionHeaderSize;
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)header + 24));
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)header + 32));
        if (offset >= (ulong)data.Length) return (0, data.Length, "file");
        return ((int)offset, (int)Math.Min(size, (ulong)data.Length - offset), $"section {index}");
    }

    private static bool TrySectionHeaders(byte[] data, out long table, out int count)
    {
        table = 0;
        count = 0;
        if (data.Length < 64) return false;
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(40));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(60));
        if (offset == 0 || offset >= (ulong)data.Length) return false;
        table = (long)offset;
        count = (int)Math.Min((ulong)entries, ((ulong)data.Length - offset) / SectionHeaderSize);
        return true;
    }

    /// <summary>Values where bounds checks break: small ids, near-maximum lengths, sign bits.</summary>
    private static uint EdgeWord(Random random) => random.Next(5) switch
    {
        0 => (uint)random.Next(64),
        1 => uint.MaxValue - (uint)random.Next(64),
        2 => 0x80000000u + (uint)random.Next(64) - 32,
        3 => 0x7fffffffu - (uint)random.Next(64),
        _ => (uint)random.Next() ^ ((uint)random.Next(2) << 31),
    };

    private static ulong EdgeLong(Random random) => random.Next(4) switch
    {
        0 => (ulong)random.Next(4096),
        1 => ulong.MaxValue - (ulong)random.Next(4096),
        2 => 0x8000000000000000ul + (ulong)random.Next(64),
        _ => EdgeWord(random),
    };
}
