using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Mirrors enum attach_slot in tests/bpf/attach_counts.h.</summary>
internal enum Slot : uint
{
    Tracepoint, RawTp, TpBtf, Uprobe, Uretprobe, UprobeSleepable, UprobeMulti, Kprobe, PerfEvent,
    CgroupEgress, SockCreate, Xdp, Tcx, Netfilter, SkLookup, SkMsg, Cookie, Netkit,
}

/// <summary>Opens and loads the attach_*.bpf.o test objects, counting only this process unless told otherwise.</summary>
internal static partial class AttachObjects
{
    public static BpfObject Load(string name, int targetTgid = -1)
    {
        var obj = BpfObject.Open(TestObjects.PathOf(name));
        try
        {
            KernelRefusals.LeaveOut(obj);
            var rodata = obj.GlobalDataSection(".rodata");
            rodata.Write(rodata.Spec.FindVariable("target_tgid")!.Offset, (uint)(targetTgid < 0 ? Environment.ProcessId : targetTgid));
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public static ulong Count(this BpfObject obj, Slot slot) => obj.Map("counts").Map.Lookup<uint, ulong>((uint)slot);

    public static void CallGetppid(int times)
    {
        for (int i = 0; i < times; i++)
            GetPpid();
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetPpid();
}
