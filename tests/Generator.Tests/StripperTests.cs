using System.Linq;
using System.IO;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>The stripped object must read exactly as the original: same programs, maps, data, struct_ops and BTF.</summary>
    public sealed class StripperTests
    {
        public static TheoryData<string> Objects => new TheoryData<string>
        {
            GeneratorHarness.TestObject("tcp_cc.bpf.o"),
            GeneratorHarness.TestObject("globals.bpf.o"),
            GeneratorHarness.TestObject("dummy_ops.bpf.o"),
            GeneratorHarness.GoldenObject("golden_types.bpf.o"),
            GeneratorHarness.GoldenObject("golden_ops.bpf.o"),
        };

        [Theory]
        [MemberData(nameof(Objects))]
        public void StrippedObjectParsesIdentically(string path)
        {
            var original = BpfObjectSpec.Parse(File.ReadAllBytes(path), "x.bpf.o");
            var strippedBytes = ElfStripper.Strip(original.Elf);
            var stripped = BpfObjectSpec.Parse(strippedBytes, "x.bpf.o");

            Assert.DoesNotContain(stripped.Elf.Sections, s => s.Name.StartsWith(".debug") || s.Name.StartsWith(".rel.debug"));
            Assert.Equal(original.Btf!.RawBytes.ToArray(), stripped.Btf!.RawBytes.ToArray());
            Assert.Equal(original.Elf.FindSection(".BTF.ext")!.Data.ToArray(), stripped.Elf.FindSection(".BTF.ext")!.Data.ToArray());
            Assert.Equal(original.License, stripped.License);
            Assert.Equal(Describe(original), Describe(stripped));
        }

        [Fact]
        public void StrippingDropsMostOfAVmlinuxBasedObject()
        {
            var bytes = File.ReadAllBytes(GeneratorHarness.TestObject("tcp_cc.bpf.o"));
            var stripped = ElfStripper.Strip(BpfObjectSpec.Parse(bytes, "tcp_cc.bpf.o").Elf);

            Assert.True(stripped.Length * 10 <= bytes.Length, $"stripped {stripped.Length} of {bytes.Length} bytes");
        }

        /// <summary>Everything the loader consumes, as comparable text.</summary>
        private static string Describe(BpfObjectSpec spec)
        {
            var lines = new System.Collections.Generic.List<string>();
            foreach (var p in spec.Programs.Concat(spec.Subprograms))
            {
                lines.Add($"prog {p.Name} {p.SectionName} {p.Type} {p.ExpectedAttachType} {p.AttachTarget} {p.FuncTypeId}");
                lines.Add(string.Join(",", p.Instructions.Select(i => $"{i.Opcode}:{i.Registers}:{i.Offset}:{i.Immediate}")));
                lines.Add(string.Join(",", p.Relocations.Select(r => r.ToString())));
                lines.Add($"{p.FuncInfos.Count} {p.LineInfos.Count} {p.CoreRelocations.Count}");
            }
            foreach (var m in spec.Maps)
            {
                lines.Add($"map {m} {m.Origin} {m.Flags} {m.KeyTypeId} {m.ValueTypeId} {m.AutoCreate} {string.Join(",", m.InitialSlots)}");
                if (m.DataSection is { } d)
                    lines.Add($"data {d.SectionName} {System.Convert.ToHexString(d.InitialData.Span)} {string.Join(",", d.Variables.Select(v => v.ToString()))}");
                if (m.StructOps is { } s)
                    lines.Add($"ops {s.TypeName} {System.Convert.ToHexString(s.Data.Span)} {string.Join(",", s.Members.Select(x => $"{x}={s.GetProgram(x)}"))}");
            }
            foreach (var e in spec.Externs) lines.Add("extern " + e);
            return string.Join("\n", lines);
        }
    }
}
