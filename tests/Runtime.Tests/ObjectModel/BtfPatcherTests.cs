using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BpfSkeleton.Btf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Fix-ups and libbpf-style sanitizing; bpftool must accept and agree with every rewritten blob.</summary>
public class BtfPatcherTests
{
    private static readonly BtfKind[] NewerKinds =
        { BtfKind.Func, BtfKind.FuncProto, BtfKind.Var, BtfKind.Datasec, BtfKind.Float, BtfKind.DeclTag, BtfKind.TypeTag, BtfKind.Enum64 };

    private static void AgreesWithBpftool(BtfSpec spec)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bpfsk-patched-{Environment.ProcessId}-{Guid.NewGuid():n}.btf");
        File.WriteAllBytes(file, spec.RawBytes.ToArray());
        try
        {
            using var json = ExternalTool.BpftoolBtfJson(file);
            BtfOracle.Compare(spec, json);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void UnpatchedRoundTripIsByteIdentical()
    {
        var btf = ObjectFiles.Btf(ObjectFiles.Elf(ObjectFiles.Named("globals")));
        Assert.Equal(btf.RawBytes.ToArray(), new BtfPatcher(btf).ToArray());
    }

    [Fact]
    public void PatchesAfterToArrayDoNotChangeTheArrayHandedOut()
    {
        var btf = ObjectFiles.Btf(ObjectFiles.Elf(ObjectFiles.Named("globals")));
        Assert.True(btf.TryFindByName(".bss", BtfKind.Datasec, out int bss));
        var patcher = new BtfPatcher(btf);
        patcher.SetSize(bss, 4096);
        var first = patcher.ToArray();
        var copyOfFirst = (byte[])first.Clone();
        patcher.SetSize(bss, 8192);
        patcher.MapString(btf.GetType(bss).NameOffset, (_, b) => b == (byte)'.' ? (byte)'_' : b);
        var second = patcher.ToArray();

        Assert.Equal(copyOfFirst, first);
        Assert.Equal(4096u, BtfSpec.Parse(first, "first").GetType(bss).Size);
        Assert.Equal(8192u, BtfSpec.Parse(second, "second").GetType(bss).Size);
        Assert.Equal("_bss", BtfSpec.Parse(second, "second").GetType(bss).Name);
    }

    [Fact]
    public void FixupsShowInTheNewSpec()
    {
        var btf = ObjectFiles.Btf(ObjectFiles.Elf(ObjectFiles.Named("globals")));
        Assert.True(btf.TryFindByName(".bss", BtfKind.Datasec, out int bss));
        Assert.True(btf.TryFindByName("bss_point", BtfKind.Var, out int point));
        Assert.True(btf.TryFindByName("scale", BtfKind.Func, out int scale));
        var patcher = new BtfPatcher(btf);
        patcher.SetSize(bss, 4096);
        patcher.SetVarSecInfo(bss, 1, 64, 8);
        patcher.SetVarLinkage(point, BtfVarLinkage.Static);
        patcher.SetFuncLinkage(scale, BtfFuncLinkage.Global);
        var patched = patcher.ToSpec();

        Assert.Equal(4096u, patched.GetType(bss).Size);
        Assert.Equal(64u, patched.GetType(bss).GetVarSecInfo(1).Offset);
        Assert.Equal(BtfVarLinkage.Static, patched.GetType(point).VarLinkage);
        Assert.Equal(BtfFuncLinkage.Global, patched.GetType(scale).FuncLinkage);
        Assert.NotEqual(4096u, btf.GetType(bss).Size); // copy-on-write: the original is untouched
        Assert.Throws<InvalidOperationException>(() => patcher.SetVarLinkage(bss, BtfVarLinkage.Static));
        Assert.Throws<ArgumentOutOfRangeException>(() => patcher.SetSize(btf.TypeCount + 1, 1));
        AgreesWithBpftool(patched);
    }

    [Fact]
    public void SanitizingForAnOldKernelRemovesEveryNewerKind()
    {
        foreach (var source in ObjectFiles.All().Select(p => ObjectFiles.Btf(ObjectFiles.Elf(p))).Append(ObjectFiles.Vmlinux))
        {
            var patcher = new BtfPatcher(source);
            patcher.Sanitize(BtfFeatures.None);
            var sanitized = patcher.ToSpec();
            bool hadEnum64 = Enumerable.Range(1, source.TypeCount).Any(id => source.GetType(id).Kind == BtfKind.Enum64);
            Assert.Equal(source.TypeCount + (hadEnum64 ? 1 : 0), sanitized.TypeCount);
            for (int id = 1; id <= source.TypeCount; id++)
            {
                var before = source.GetType(id);
                var after = sanitized.GetType(id);
                Assert.DoesNotContain(after.Kind, NewerKinds);
                Expect(source, before, sanitized, after);
            }
            if (source != ObjectFiles.Vmlinux)
                AgreesWithBpftool(sanitized);
        }
    }

    private static void Expect(BtfSpec source, BtfType before, BtfSpec sanitized, BtfType after)
    {
        switch (before.Kind)
        {
            case BtfKind.Var or BtfKind.DeclTag:
                Assert.Equal(BtfKind.Int, after.Kind);
                Assert.Equal(1u, after.Size);
                break;
            case BtfKind.Datasec:
                Assert.Equal(BtfKind.Struct, after.Kind);
                Assert.DoesNotContain('.', after.Name);
                for (int i = 0; i < before.Vlen; i++)
                {
                    var v = before.GetVarSecInfo(i);
                    var m = after.GetMember(i);
                    Assert.Equal(v.Offset * 8, m.BitOffset);
                    Assert.Equal(source.GetType(v.TypeId).Name, m.Name);
                }
                break;
            case BtfKind.FuncProto:
                Assert.Equal(BtfKind.Enum, after.Kind);
                Assert.Equal(4u, after.Size);
                Assert.Equal(before.Vlen, after.Vlen);
                break;
            case BtfKind.Func:
                Assert.Equal(BtfKind.Typedef, after.Kind);
                break;
            case BtfKind.Float:
                Assert.Equal(BtfKind.Struct, after.Kind);
                Assert.Equal(before.Size, after.Size);
                Assert.False(after.HasName);
                break;
            case BtfKind.TypeTag:
                Assert.Equal(BtfKind.Const, after.Kind);
                Assert.Equal(before.TypeId, after.TypeId);
                break;
            case BtfKind.Enum64:
                Assert.Equal(BtfKind.Union, after.Kind);
                Assert.Equal(before.Size, after.Size);
                var placeholder = sanitized.GetType(sanitized.TypeCount);
                Assert.Equal("enum64_placeholder", placeholder.Name);
                Assert.All(Enumerable.Range(0, after.Vlen), i => Assert.Equal(placeholder.Id, after.GetMember(i).TypeId));
                break;
            case BtfKind.Enum:
                Assert.False(after.KindFlag);
                break;
            default:
                Assert.Equal(before.Kind, after.Kind);
                Assert.Equal(before.NameOffset, after.NameOffset);
                break;
        }
    }

    [Fact]
    public void SanitizingKeepsWhatTheKernelSupports()
    {
        var btf = ObjectFiles.Btf(ObjectFiles.Elf(ObjectFiles.Named("globals")));
        var patcher = new BtfPatcher(btf);
        patcher.Sanitize(BtfFeatures.All);
        Assert.Equal(btf.RawBytes.ToArray(), patcher.ToArray());

        patcher = new BtfPatcher(btf);
        patcher.Sanitize(BtfFeatures.All & ~BtfFeatures.GlobalFunc);
        var spec = patcher.ToSpec();
        Assert.True(spec.TryFindByName("run_globals", BtfKind.Func, out int func));
        Assert.Equal(BtfFuncLinkage.Global, btf.GetType(func).FuncLinkage);
        Assert.Equal(BtfFuncLinkage.Static, spec.GetType(func).FuncLinkage);
        Assert.True(spec.TryFindByName(".data", BtfKind.Datasec, out _));
    }

    [Fact]
    public void QuestionMarkDatasecNamesAreRenamedInBothByteOrders()
    {
        foreach (bool little in new[] { true, false })
        {
            var b = new BtfBuilder(little);
            int i = b.Int("int", 4, BtfIntFlags.Signed);
            int v = b.Add(BtfKind.Var, "opt", 0, (uint)i, false, 1);
            int sec = b.Add(BtfKind.Datasec, "?.struct_ops", 1, 4, false, (uint)v, 0, 4);
            var btf = BtfSpec.Parse(b.Build(), "qmark.btf");

            var patcher = new BtfPatcher(btf);
            patcher.Sanitize(BtfFeatures.All & ~BtfFeatures.QmarkDatasec);
            Assert.Equal("_.struct_ops", patcher.ToSpec().GetType(sec).Name);

            patcher = new BtfPatcher(btf);
            patcher.SetVarSecInfo(sec, 0, 0, 4);
            patcher.Sanitize(BtfFeatures.All & ~BtfFeatures.Datasec);
            var spec = patcher.ToSpec();
            Assert.Equal(little, spec.IsLittleEndian);
            Assert.Equal("__struct_ops", spec.GetType(sec).Name);
            Assert.Equal("opt", spec.GetType(sec).GetMember(0).Name);
            Assert.Equal(BtfKind.Int, spec.GetType(v).Kind);
        }
    }

    [Fact]
    public void LayoutSectionIsKeptOrDroppedPerKernelSupport()
    {
        var b = new BtfBuilder();
        b.Int("int", 4, BtfIntFlags.Signed);
        var data = b.Build(headerLength: 32);
        uint body = (uint)data.Length - 32;
        Array.Resize(ref data, data.Length + 4);
        data[^4] = 12; // one btf_layout entry: info_sz 12, elem_sz 0, flags 0
        b.Write32(data, 24, body);
        b.Write32(data, 28, 4);
        var spec = BtfSpec.Parse(data, "layout.btf");
        Assert.Equal(32u, spec.HeaderLength);
        Assert.Equal(4u, spec.LayoutSectionLength);
        Assert.Equal("int", spec.GetTypeName(1));

        var kept = new BtfPatcher(spec).ToSpec();
        Assert.Equal(4u, kept.LayoutSectionLength);
        Assert.Equal(12, kept.RawBytes.Span[(int)(kept.HeaderLength + kept.LayoutSectionOffset)]);

        var patcher = new BtfPatcher(spec);
        patcher.Sanitize(BtfFeatures.All & ~BtfFeatures.Layout);
        var dropped = patcher.ToSpec();
        Assert.Equal(24u, dropped.HeaderLength);
        Assert.Equal(0u, dropped.LayoutSectionLength);
        Assert.Equal("int", dropped.GetTypeName(1));
        AgreesWithBpftool(dropped);

        b.Write32(data, 28, 8); // layout runs past the end
        Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(data, "layout.btf"));
    }
}
