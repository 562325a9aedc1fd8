using System.Runtime.InteropServices;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>Attr and info structs must match the 6.18 UAPI byte for byte.</summary>
public unsafe class AttrLayoutTests
{
    [Fact]
    public void SizesMatchTheUapi()
    {
        Assert.Equal(96, sizeof(MapCreateAttr));
        Assert.Equal(32, sizeof(MapElemAttr));
        Assert.Equal(56, sizeof(MapBatchAttr));
        Assert.Equal(168, sizeof(ProgLoadAttr));
        Assert.Equal(24, sizeof(ObjPinAttr));
        Assert.Equal(32, sizeof(ProgAttachAttr));
        Assert.Equal(80, sizeof(TestRunAttr));
        Assert.Equal(16, sizeof(GetIdAttr));
        Assert.Equal(16, sizeof(ObjInfoAttr));
        Assert.Equal(24, sizeof(RawTracepointOpenAttr));
        Assert.Equal(40, sizeof(BtfLoadAttr));
        Assert.Equal(64, sizeof(LinkCreateAttr));
        Assert.Equal(16, sizeof(LinkUpdateAttr));
        Assert.Equal(104, sizeof(MapInfoNative));
        Assert.Equal(232, sizeof(ProgInfoNative));
        Assert.Equal(32, sizeof(BtfInfoNative));
        Assert.Equal(64, sizeof(LinkInfoNative));
        Assert.Equal(72, sizeof(PerfEventAttr));
    }

    [Fact]
    public void KeyOffsetsMatchTheUapi()
    {
        Assert.Equal(64, (int)Marshal.OffsetOf<MapCreateAttr>(nameof(MapCreateAttr.MapExtra)));
        Assert.Equal(80, (int)Marshal.OffsetOf<MapCreateAttr>(nameof(MapCreateAttr.ExclusiveProgramHash)));
        Assert.Equal(48, (int)Marshal.OffsetOf<ProgLoadAttr>(nameof(ProgLoadAttr.ProgName)));
        Assert.Equal(108, (int)Marshal.OffsetOf<ProgLoadAttr>(nameof(ProgLoadAttr.AttachBtfId)));
        Assert.Equal(120, (int)Marshal.OffsetOf<ProgLoadAttr>(nameof(ProgLoadAttr.FdArray)));
        Assert.Equal(140, (int)Marshal.OffsetOf<ProgLoadAttr>(nameof(ProgLoadAttr.LogTrueSize)));
        Assert.Equal(32, (int)Marshal.OffsetOf<ProgInfoNative>(nameof(ProgInfoNative.XlatedProgInsns)));
        Assert.Equal(216, (int)Marshal.OffsetOf<ProgInfoNative>(nameof(ProgInfoNative.VerifiedInsns)));
        Assert.Equal(80, (int)Marshal.OffsetOf<MapInfoNative>(nameof(MapInfoNative.MapExtra)));
        Assert.Equal(68, (int)Marshal.OffsetOf<TestRunAttr>(nameof(TestRunAttr.Cpu)));
    }

    [Fact]
    public void CpuListParsing()
    {
        Assert.Equal(2, PossibleCpus.Parse("0-1\n"));
        Assert.Equal(6, PossibleCpus.Parse("0,2-5"));
        Assert.Equal(1, PossibleCpus.Parse("0"));
    }

    [Fact]
    public void ObjectNamesAreSanitizedLikeLibbpf()
    {
        Assert.Equal("my_map.data", ObjectName.Sanitize("my-map.data"));
        Assert.Equal("abcdefghijklmno", ObjectName.Sanitize("abcdefghijklmnopqrstuvwxyz"));
        Assert.Equal("", ObjectName.Sanitize(null));
    }
}
