using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Runtime.Tests.Infrastructure;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>Opens tests/bpf/usdt.bpf.c's object and reads what its programs recorded in global data.</summary>
internal static class UsdtObject
{
    public static BpfObject Load(Action<BpfObject>? beforeLoad = null, BpfOpenOptions? options = null)
    {
        var obj = BpfObject.Open(TestObjects.PathOf("usdt"), options);
        try
        {
            beforeLoad?.Invoke(obj);
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public static T Read<T>(this BpfObject obj, string variable) where T : unmanaged
        => MemoryMarshal.Read<T>(Section(obj, variable).Variable(variable));

    public static T[] ReadArray<T>(this BpfObject obj, string variable) where T : unmanaged
        => MemoryMarshal.Cast<byte, T>(Section(obj, variable).Variable(variable)).ToArray();

    /// <summary>Zero-initialised variables are in .bss, the others (e.g. noargs_count = -1) in .data.</summary>
    private static BpfGlobalData Section(BpfObject obj, string variable)
    {
        var bss = obj.GlobalDataSection(".bss");
        return bss.Spec.FindVariable(variable) is not null ? bss : obj.GlobalDataSection(".data");
    }
}
