using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// Deterministic mutation fuzzing over the real test objects: whatever the damage, parsing and
/// every resolver either work or throw <see cref="BpfFormatException"/> — never another
/// exception, never a hang.
/// </summary>
public class FuzzTests
{
    private const int Iterations = 3000;
    private static readonly TimeSpan WalkBudget = TimeSpan.FromMilliseconds(4);
    private static readonly TimeSpan IterationLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task MutatedObjectsOnlyThrowFormatErrors()
    {
        var objects = ObjectFiles.All().Select(File.ReadAllBytes).ToArray();
        var run = Task.Run(() => Fuzz(objects));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(120)));
        Assert.True(finished == run, "fuzzing hung");
        int rejected = await run;
        // The mutations must bite: a good share of inputs are rejected outright.
        Assert.InRange(rejected, Iterations / 10, Iterations - 1);
    }

    /// <summary>Returns how many mutated inputs were rejected at parse time.</summary>
    private static int Fuzz(byte[][] objects)
    {
        int rejected = 0;
        var random = new Random(20240611);
        var clock = new Stopwatch();
        for (int i = 0; i < Iterations; i++)
        {
            var original = objects[random.Next(objects.Length)];
            var elf = ElfFile.Parse(original, "seed.o");
            var btfSection = elf.FindSection(".BTF")!;
            var extSection = elf.FindSection(".BTF.ext")!;
            var data = (byte[])original.Clone();
            // Aim a third of the mutations at the ELF, the rest at BTF and BTF.ext bytes in place.
            var target = (i % 3) switch
            {
                0 => (0, data.Length),
                1 => ((int)btfSection.Offset, (int)btfSection.Size),
                _ => ((int)extSection.Offset, (int)extSection.Size),
            };
            string what = Mutate(random, ref data, target.Item1, target.Item2);
            clock.Restart();
            try
            {
                ParseAndWalk(data, random.Next());
            }
            catch (BpfFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                throw new Exception($"iteration {i} ({what}): {e.GetType().Name} escaped", e);
            }
            if (clock.Elapsed > IterationLimit)
                throw new Exception($"iteration {i} ({what}) took {clock.Elapsed}");
        }
        return rejected;
    }

    private static string Mutate(Random random, ref byte[] data, int start, int length)
    {
        int Pick(int span) => start + random.Next(Math.Max(1, Math.Min(span, length)));
        switch (random.Next(6))
        {
            case 0:
                int flips = 1 + random.Next(8);
                for (int f = 0; f < flips; f++)
                    data[Pick(length)] ^= (byte)(1 << random.Next(8));
                return "bit flips";
            case 1:
                int cut = Pick(length);
                data = data[..cut];
                return $"truncated at {cut}";
            case 2:
                int header = start == 0 ? 64 : 32;
                int zeroFrom = Pick(header);
                Array.Clear(data, zeroFrom, Math.Min(4 + random.Next(8), data.Length - zeroFrom));
                return "zeroed header bytes";
            case 3:
                int word = Pick(start == 0 ? 64 : 32) & ~3;
                if (word + 4 <= data.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(word), RandomWord(random));
                return "random header word";
            case 4:
                int at = Pick(length) & ~3;
                if (at + 4 <= data.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), RandomWord(random));
                return "random word";
            default:
                if (start == 0)
                {
                    int sections = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(40));
                    int field = sections + random.Next(64 * 8);
                    if (field + 8 <= data.Length)
                        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(field), (ulong)RandomWord(random) << random.Next(2) * 32);
                    return "section header field";
                }
                int type = Pick(length) & ~3;
                if (type + 8 <= data.Length)
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(type), (uint)random.Next(1, 21) << 24 | (uint)random.Next(4));
                return "type info word";
        }
    }

    /// <summary>Edge-heavy values: small ids, huge lengths, sign bits.</summary>
    private static uint RandomWord(Random random) => random.Next(4) switch
    {
        0 => (uint)random.Next(64),
        1 => uint.MaxValue - (uint)random.Next(64),
        2 => 0x80000000u + (uint)random.Next(64),
        _ => (uint)random.Next() ^ ((uint)random.Next(2) << 31),
    };

    private static void ParseAndWalk(byte[] data, int seed)
    {
        var elf = ElfFile.Parse(data, "fuzz.o");
        TypeWalker.WalkElf(elf);
        var btfSection = elf.FindSection(".BTF");
        if (btfSection is null)
            return;
        var btf = BtfSpec.Parse(btfSection.Data, elf.FileName);
        var extSection = elf.FindSection(".BTF.ext");
        if (extSection is not null)
        {
            try
            {
                var ext = BtfExt.Parse(extSection.Data, btf, elf.FileName);
                foreach (var relos in ext.CoreRelos.Values)
                {
                    foreach (var relo in relos)
                        TryWalk(btf, relo.TypeId);
                }
                foreach (var funcs in ext.FuncInfos.Values)
                {
                    foreach (var func in funcs)
                        TryWalk(btf, func.TypeId);
                }
            }
            catch (BpfFormatException)
            {
            }
        }
        foreach (var name in new[] { "task_struct", "point", "value", "inner" })
            btf.TryFindByName(name, BtfKind.Struct, out _);
        // Walk from a random start for a bounded time: large objects have thousands of types.
        var clock = Stopwatch.StartNew();
        int count = btf.TypeCount;
        int first = count == 0 ? 0 : new Random(seed).Next(count);
        for (int n = 0; n < count && clock.Elapsed < WalkBudget; n++)
            TryWalk(btf, 1 + (first + n) % count);
    }

    private static void TryWalk(BtfSpec btf, int id)
    {
        try
        {
            TypeWalker.Walk(btf, id);
        }
        catch (BpfFormatException)
        {
        }
    }
}
