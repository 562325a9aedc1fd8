using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using BpfSkeleton.Elf;
using BpfSkeleton.Interop;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>The stapsdt note reader against `readelf -n`, and the address-to-file-offset translation against the bytes.</summary>
public partial class UsdtNotesTests
{
    [Fact]
    public void NotesMatchReadelf()
    {
        var notes = UsdtNotes.Read(ElfFunctions.Open(UsdtTarget.Path));
        var oracle = ReadelfNotes(ExternalTool.Run("readelf", "-nW", UsdtTarget.Path));
        Assert.Equal(6, oracle.Count); // noargs, args, memory, sites ×2, sema
        Assert.Equal(oracle, notes);
    }

    [Fact]
    public void SitesLandOnTheProbeNopAndTheSemaphoreInDotProbes()
    {
        var elf = ElfFunctions.Open(UsdtTarget.Path);
        ReadOnlySpan<byte> file = elf.Data.Span;
        var probes = elf.FindSection(".probes")!;
        var sites = new[] { "args", "memory", "sites", "noargs", "sema" }.SelectMany(name => UsdtSites.Find(elf, "bpfsk", name)).ToList();
        Assert.Equal(6, sites.Count);
        foreach (var site in sites)
        {
            Assert.Equal(0x90, file[(int)site.FileOffset]); // sdt.h's probe point is a nop
            Assert.Equal(UsdtTarget.TextShift, site.Address - site.FileOffset);
        }
        var sema = Assert.Single(sites, site => site.Note.Name == "sema");
        // Through the section headers, independently of the segments the reader uses.
        Assert.Equal(probes.Offset + (sema.Note.SemaphoreAddress - probes.Address), sema.SemaphoreOffset);
        Assert.All(sites.Where(site => site.Note.Name != "sema"), site => Assert.Equal(0ul, site.SemaphoreOffset));
    }

    [Fact]
    public void MissingProbeListsTheProbesTheFileHas()
    {
        var e = Assert.Throws<BpfException>(() => UsdtSites.Find(ElfFunctions.Open(UsdtTarget.Path), "bpfsk", "arg"));
        Assert.Equal(Interop.Errno.ENOENT, e.Errno);
        Assert.Contains("bpfsk:args, bpfsk:memory, bpfsk:noargs, bpfsk:sema, bpfsk:sites", e.Message);
    }

    [Fact]
    public void TruncatedNoteIsRejectedWithItsOffset()
    {
        // namesz 8 ("stapsdt\0"), descsz 40, type 3, but the descriptor is cut short.
        byte[] section = new byte[12 + 8 + 16];
        BitConverter.GetBytes(8u).CopyTo(section, 0);
        BitConverter.GetBytes(40u).CopyTo(section, 4);
        BitConverter.GetBytes(3u).CopyTo(section, 8);
        "stapsdt"u8.CopyTo(section.AsSpan(12));
        var note = new ElfSection(1, new ElfName(".note.stapsdt"), ElfConstants.SHT_NOTE, 0, 0, 0, (ulong)section.Length, 0, 0, 4, 0, section);
        var elf = new ElfFile("crafted", section, true, ElfConstants.ET_DYN, ElfConstants.EM_X86_64,
            Array.Empty<ElfProgramHeader>(), new[] { note }, Array.Empty<ElfSymbol>(), 0, Array.Empty<ElfSymbol>());
        var e = Assert.Throws<BpfFormatException>(() => ElfNote.Read(elf, note));
        Assert.Contains("runs past", e.Message);
        Assert.Equal(0, e.Offset);
    }

    /// <summary>Parses readelf's NT_STAPSDT blocks: Provider, Name, Location/Base/Semaphore, Arguments.</summary>
    private static List<UsdtNote> ReadelfNotes(string output)
    {
        var notes = new List<UsdtNote>();
        foreach (Match m in NoteBlock().Matches(output))
        {
            notes.Add(new UsdtNote(m.Groups["provider"].Value, m.Groups["name"].Value, Hex(m, "location"), Hex(m, "base"), Hex(m, "semaphore"),
                m.Groups["arguments"].Value.Trim()));
        }
        return notes;
    }

    private static ulong Hex(Match m, string group) => ulong.Parse(m.Groups[group].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Provider: (?<provider>\S+)\s+Name: (?<name>\S+)\s+Location: 0x(?<location>[0-9a-f]+), Base: 0x(?<base>[0-9a-f]+), Semaphore: 0x(?<semaphore>[0-9a-f]+)\s+Arguments:(?<arguments>[^\n]*)")]
    private static partial Regex NoteBlock();
}
