using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// The same sources compiled with -target bpfeb and bpfel decode to the same sections, symbols,
/// relocations, types and BTF.ext records; bpftool and llvm-readelf agree on the big-endian ones.
/// </summary>
public class BigEndianTests : IClassFixture<BigEndianTests.CompiledPairs>
{
    private readonly CompiledPairs _pairs;

    public BigEndianTests(CompiledPairs pairs) => _pairs = pairs;

    /// <summary>Bitfield reads in core.bpf.c compile to different code per byte order, so only its data is compared.</summary>
    [Theory]
    [InlineData("globals", true)]
    [InlineData("maps", true)]
    [InlineData("subprogs", true)]
    [InlineData("core", false)]
    public void BigAndLittleEndianObjectsDecodeAlike(string stem, bool sameCode)
    {
        var (littlePath, bigPath) = _pairs.Compile(stem);
        var little = ObjectFiles.Elf(littlePath);
        var big = ObjectFiles.Elf(bigPath);
        Assert.True(little.IsLittleEndian);
        Assert.False(big.IsLittleEndian);
        Assert.Equal(ElfConstants.EM_BPF, big.Machine);

        Assert.Equal(little.Sections.Select(s => (s.Name, s.Type, s.Flags)), big.Sections.Select(s => (s.Name, s.Type, s.Flags)));
        Assert.Equal(little.Symbols.Select(s => (s.Name, s.Bind, s.Type, s.SectionIndex)), big.Symbols.Select(s => (s.Name, s.Bind, s.Type, s.SectionIndex)));
        if (sameCode)
        {
            Assert.Equal(little.Sections.Select(s => s.Size), big.Sections.Select(s => s.Size));
            Assert.Equal(little.Symbols.Select(s => (s.Value, s.Size)), big.Symbols.Select(s => (s.Value, s.Size)));
            foreach (var rel in little.Sections.Where(s => s.Type == ElfConstants.SHT_REL && !s.Name.Contains("debug")))
                Assert.Equal(little.GetRelocations(rel), big.GetRelocations(big.Sections[rel.Index]));
        }
        var bigEndian = ExternalTool.ReadelfJson(bigPath, "-S").GetProperty("Sections").EnumerateArray().Select(e => e.GetProperty("Section"));
        Assert.Equal(bigEndian.Select(s => (s.GetProperty("Offset").GetUInt64(), s.GetProperty("Size").GetUInt64())), big.Sections.Select(s => (s.Offset, s.Size)));

        var littleBtf = ObjectFiles.Btf(little);
        var bigBtf = ObjectFiles.Btf(big);
        Assert.False(bigBtf.IsLittleEndian);
        Assert.Equal(littleBtf.TypeCount, bigBtf.TypeCount);
        for (int id = 1; id <= littleBtf.TypeCount; id++)
        {
            Assert.Equal(littleBtf.GetType(id).Kind, bigBtf.GetType(id).Kind);
            Assert.Equal(littleBtf.GetTypeName(id), bigBtf.GetTypeName(id));
        }
        using (var json = ExternalTool.BpftoolBtfJson(bigPath))
            BtfOracle.Compare(bigBtf, json);

        var littleExt = ObjectFiles.BtfExt(little, littleBtf);
        var bigExt = ObjectFiles.BtfExt(big, bigBtf);
        Assert.Equal(littleExt.FuncInfos.Keys.OrderBy(k => k), bigExt.FuncInfos.Keys.OrderBy(k => k));
        foreach (var key in littleExt.FuncInfos.Keys)
        {
            Assert.Equal(littleExt.FuncInfos[key].Select(f => f.TypeId), bigExt.FuncInfos[key].Select(f => f.TypeId));
            if (sameCode)
            {
                Assert.Equal(littleExt.FuncInfos[key], bigExt.FuncInfos[key]);
                Assert.Equal(littleExt.LineInfos[key], bigExt.LineInfos[key]);
            }
        }
        Assert.Equal(littleExt.CoreRelos.Keys.OrderBy(k => k), bigExt.CoreRelos.Keys.OrderBy(k => k));
        foreach (var key in littleExt.CoreRelos.Keys)
        {
            // Byte order changes how many times the compiler repeats a relocation, not which ones exist.
            Assert.Equal(littleExt.CoreRelos[key].Select(r => (r.TypeId, r.Kind, r.AccessString)).Distinct().OrderBy(r => r.ToString()),
                bigExt.CoreRelos[key].Select(r => (r.TypeId, r.Kind, r.AccessString)).Distinct().OrderBy(r => r.ToString()));
        }
    }

    /// <summary>Compiles tests/bpf sources both ways once per test class, against a freshly dumped vmlinux.h.</summary>
    public sealed class CompiledPairs : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), $"bpfsk-endian-{Environment.ProcessId}");
        private readonly object _lock = new();

        public CompiledPairs()
        {
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, "vmlinux.h"), ExternalTool.Run("bpftool", "btf", "dump", "file", ObjectFiles.VmlinuxPath, "format", "c"));
        }

        public (string Little, string Big) Compile(string stem)
        {
            lock (_lock)
            {
                return (Build(stem, "bpfel"), Build(stem, "bpfeb"));
            }
        }

        private string Build(string stem, string target)
        {
            var output = Path.Combine(_dir, $"{stem}.{target}.o");
            if (File.Exists(output))
                return output;
            var sources = Path.Combine(ExternalTool.RepoRoot, "tests", "bpf");
            var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86";
            ExternalTool.Run("clang-14", "-g", "-O2", "-target", target, $"-D__TARGET_ARCH_{arch}", "-I", _dir, "-I", sources,
                "-c", Path.Combine(sources, stem + ".bpf.c"), "-o", output);
            return output;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
