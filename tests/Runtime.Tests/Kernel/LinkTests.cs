using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

[Collection("Kernel")]
public partial class LinkTests
{
    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    private static BpfMap Counter() => BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1 });

    private static void CallGetPid(int times)
    {
        for (int i = 0; i < times; i++)
            GetPid();
    }

    [KernelFact(BpfProgramType.RawTracepoint)]
    public void RawTracepointCountsSyscallsUntilDetached()
    {
        using var counter = Counter();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.RawTracepoint, Name = "count_enter", Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd()),
        });
        using (var link = RawTracepointLink.Attach(program, "sys_enter"))
        {
            CallGetPid(100);
            Assert.True(counter.Lookup<int, long>(0) >= 100);

            BpfLinkInfo info = link.Info;
            Assert.Equal(BpfLinkType.RawTracepoint, info.Type);
            Assert.Equal(program.Id, info.ProgramId);
            Assert.Equal("sys_enter", info.TracepointName);
            var e = Assert.Throws<BpfNotSupportedException>(link.Detach);
            Assert.Contains("dispose", e.Message);
        }
        long afterDetach = counter.Lookup<int, long>(0);
        CallGetPid(100);
        Assert.Equal(afterDetach, counter.Lookup<int, long>(0));
    }

    [KernelFact(BpfProgramType.Tracepoint)]
    public void TracepointPerfEventLinkCountsGetpid()
    {
        BpfFs.EnsureTracefs();
        using var counter = Counter();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Tracepoint, Name = "count_getpid", Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd()),
        });
        using (var link = PerfEventLink.AttachTracepoint(program, "syscalls", "sys_enter_getpid"))
        {
            Assert.False(link.IsLegacy);
            CallGetPid(50);
            Assert.True(counter.Lookup<int, long>(0) >= 50);
            BpfLinkInfo info = link.Info;
            Assert.Equal(BpfLinkType.PerfEvent, info.Type);
            Assert.Equal(program.Id, info.ProgramId);
            Assert.Equal("sys_enter_getpid", info.TracepointName);
        }
        long afterDispose = counter.Lookup<int, long>(0);
        CallGetPid(20);
        Assert.Equal(afterDispose, counter.Lookup<int, long>(0));

        using (var legacy = PerfEventLink.AttachTracepoint(program, "syscalls", "sys_enter_getpid", 0, forceLegacy: true))
        {
            Assert.True(legacy.IsLegacy);
            CallGetPid(10);
            Assert.True(counter.Lookup<int, long>(0) >= afterDispose + 10);
        }
    }

    [KernelFact(BpfProgramType.Tracepoint, nameof(FeatureProbes.BpfCookie))]
    public void PerfEventLinkPassesBpfCookie()
    {
        BpfFs.EnsureTracefs();
        using var counter = Counter();
        int fd = counter.Fd.DangerousGetFd();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Tracepoint, Name = "cookie",
            Instructions = Asm.Program(
                Asm.Call(174),                      // bpf_get_attach_cookie
                Asm.Mov64Reg(Asm.R6, Asm.R0),
                Asm.StW(Asm.R10, -4, 0),
                Asm.LdMapFd(Asm.R1, fd),
                Asm.Mov64Reg(Asm.R2, Asm.R10),
                Asm.Add64Imm(Asm.R2, -4),
                Asm.Call(Asm.HelperMapLookupElem),
                Asm.JeqImm(Asm.R0, 0, 1),
                Asm.StxDw(Asm.R0, 0, Asm.R6),
                Asm.Mov64Imm(Asm.R0, 0),
                Asm.Exit()),
        });
        using var link = PerfEventLink.AttachTracepoint(program, "syscalls", "sys_enter_getpid", cookie: 0xC00C1E);
        CallGetPid(1);
        Assert.Equal(0xC00C1EL, counter.Lookup<int, long>(0));
    }

    [KernelFact(BpfProgramType.Tracing)]
    public void TpBtfTracingLink()
    {
        Assert.True(KernelTypes.Vmlinux.TryFindByName("btf_trace_sys_enter", BpfSkeleton.Btf.BtfKind.Typedef, out var typeId));
        uint target = (uint)typeId;
        Assert.NotEqual(0u, target);
        using var counter = Counter();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Tracing, ExpectedAttachType = BpfAttachType.TraceRawTp, AttachBtfId = target, Name = "tp_btf",
            Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd()),
        });
        using var link = RawTracepointLink.AttachTracing(program);
        CallGetPid(20);
        Assert.True(counter.Lookup<int, long>(0) >= 20);
        Assert.Equal(program.Id, link.Info.ProgramId);
    }

    [KernelFact(BpfProgramType.Tracing)]
    public void MapIteratorWritesOneByteEveryMap()
    {
        Assert.True(KernelTypes.Vmlinux.TryFindByName("bpf_iter_bpf_map", BpfSkeleton.Btf.BtfKind.Func, out var typeId));
        uint target = (uint)typeId;
        Assert.NotEqual(0u, target);
        using var someMap = Counter();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Tracing, ExpectedAttachType = BpfAttachType.TraceIter, AttachBtfId = target, Name = "dump_maps",
            Instructions = Asm.Program(
                Asm.LdxDw(Asm.R7, Asm.R1, 0),       // ctx->meta
                Asm.LdxDw(Asm.R6, Asm.R1, 8),       // ctx->map (NULL at the end)
                Asm.JeqImm(Asm.R6, 0, 6),
                Asm.LdxDw(Asm.R1, Asm.R7, 0),       // meta->seq
                Asm.StW(Asm.R10, -8, 'M'),
                Asm.Mov64Reg(Asm.R2, Asm.R10),
                Asm.Add64Imm(Asm.R2, -8),
                Asm.Mov64Imm(Asm.R3, 1),
                Asm.Call(Asm.HelperSeqWrite),
                Asm.Mov64Imm(Asm.R0, 0),
                Asm.Exit()),
        });
        using var link = IterLink.Attach(program);
        using var stream = link.OpenIterator();
        string text = new StreamReader(stream).ReadToEnd();
        Assert.NotEmpty(text);
        Assert.All(text, c => Assert.Equal('M', c));
        Assert.Equal(BpfLinkType.Iter, link.Info.Type);
    }

    [KernelFact(BpfProgramType.RawTracepoint)]
    public void PinnedLinkSurvivesDisposeAndReopens()
    {
        string path = Path.Combine(BpfFs.EnsureMounted(), $"bpfsk_link_{Environment.ProcessId}");
        using var counter = Counter();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.RawTracepoint, Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd()),
        });
        uint id;
        using (var link = RawTracepointLink.Attach(program, "sys_enter"))
        {
            id = link.Info.Id;
            link.Pin(path);
        }
        try
        {
            long before = counter.Lookup<int, long>(0);
            CallGetPid(10);
            Assert.True(counter.Lookup<int, long>(0) >= before + 10);
            using var reopened = BpfLink.FromPinned(path);
            Assert.Equal(id, reopened.Info.Id);
        }
        finally
        {
            BpfLink.Unpin(path);
        }
        // bpffs frees the unlinked inode (and so its link reference) after an RCU grace period.
        Assert.True(LinkGoneWithin(id, TimeSpan.FromSeconds(5)), $"link {id} still exists");
    }

    [KernelFact(BpfProgramType.RawTracepoint)]
    public void DisconnectedLinkOutlivesDispose()
    {
        using var counter = Counter();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.RawTracepoint, Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd()),
        });
        var link = RawTracepointLink.Attach(program, "sys_enter");
        uint id = link.Info.Id;
        int rawFd = link.Fd.DangerousGetFd();
        link.Disconnect();
        link.Dispose();
        Assert.Contains(id, BpfObjectIds.Links());
        using (var cleanup = new BpfFileDescriptor(rawFd, ownsHandle: true))
        {
        }
        Assert.True(LinkGoneWithin(id, TimeSpan.FromSeconds(5)), $"link {id} still exists");
    }

    private static bool LinkGoneWithin(uint id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (BpfObjectIds.Links().Contains(id))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            System.Threading.Thread.Sleep(10);
        }
        return true;
    }

    [KernelFact(BpfProgramType.CgroupSkb)]
    public void CgroupLinkUpdateAndDetach()
    {
        string cgroup = Cgroup2.CreateChild($"bpfsk_{Environment.ProcessId}");
        try
        {
            using var allow = BpfProgramHandle.Load(new BpfProgramLoadOptions
            {
                Type = BpfProgramType.CgroupSkb, ExpectedAttachType = BpfAttachType.CgroupInetEgress, Name = "allow",
                Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 1), Asm.Exit()),
            });
            using var allowToo = BpfProgramHandle.Load(new BpfProgramLoadOptions
            {
                Type = BpfProgramType.CgroupSkb, ExpectedAttachType = BpfAttachType.CgroupInetEgress, Name = "allow_too",
                Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 1), Asm.Mov64Imm(Asm.R0, 1), Asm.Exit()),
            });
            using var link = CgroupLink.Attach(allow, cgroup, BpfAttachType.CgroupInetEgress);
            BpfLinkInfo info = link.Info;
            Assert.Equal(BpfLinkType.Cgroup, info.Type);
            Assert.Equal(BpfAttachType.CgroupInetEgress, info.AttachType);
            Assert.Equal(allow.Id, info.ProgramId);

            link.Update(allowToo, expected: allow);
            Assert.Equal(allowToo.Id, link.Info.ProgramId);
            var e = Assert.Throws<BpfException>(() => link.Update(allow, expected: allow));
            Assert.Equal("EPERM", e.ErrnoName);

            link.Detach();
            Assert.Equal(BpfLinkType.Cgroup, link.Info.Type); // the descriptor stays valid, the link is defunct
        }
        finally
        {
            Directory.Delete(cgroup);
        }
    }
}

internal static class Cgroup2
{
    public static string CreateChild(string name)
    {
        string? root = File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length > 2 && parts[2] == "cgroup2")
            .Select(parts => parts[1])
            .FirstOrDefault();
        if (root is null)
        {
            root = "/tmp/bpfsk_cgroup2";
            Directory.CreateDirectory(root);
            BpfFs.Run("mount", $"-t cgroup2 none {root}");
        }
        string path = Path.Combine(root, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
