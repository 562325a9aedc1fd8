using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.StructOps;

/// <summary>struct_ops on the real kernel: registration lifetime, live swaps, program swaps, errors.</summary>
[Collection("Kernel")]
public class StructOpsTests
{
    /// <summary>
    /// tcp_cc with only the named struct_ops maps created, each registering under this process's own
    /// congestion-control name (<see cref="TestCongestionNames"/>).
    /// </summary>
    internal static BpfObject OpenTcpWith(params string[] maps)
    {
        var obj = BpfObject.Open(TestObjects.PathOf("tcp_cc"));
        foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = maps.Contains(map.Name);
        RenameCongestionControls(obj);
        return obj;
    }

    /// <summary>Gives every struct_ops map of the object this process's name for the name it declares.</summary>
    internal static void RenameCongestionControls(BpfObject obj)
    {
        foreach (var ops in obj.StructOpsMaps)
        {
            var member = ops.Member("name");
            var declared = System.Text.Encoding.ASCII.GetString(ops.ReadMember(member)).TrimEnd('\0');
            var name = ops.WriteMember(member);
            name.Clear();
            System.Text.Encoding.ASCII.GetBytes(TestCongestionNames.For(declared), name);
        }
    }

    /// <summary>This process's name for a congestion control the test object declares.</summary>
    private static string Cc(string declared) => TestCongestionNames.For(declared);

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void StructOpsMapIsAnOrdinaryMap()
    {
        using var obj = OpenTcpWith("plain_cc");
        obj.Load();
        var map = obj.Map("plain_cc").Map;
        Assert.Equal(BpfMapType.StructOps, map.Type);
        Assert.Equal("plain_cc", map.Name);
        Assert.Equal(1u, map.MaxEntries);
        Assert.True(map.Id > 0);
        Assert.Equal(obj.StructOps("plain_cc").KernelMatch!.KernelValueSize, (int)map.ValueSize);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void LoadMatchesMembersByNameAndReportsTheKernelIndex()
    {
        using var obj = OpenTcpWith("plain_cc");
        obj.Load();
        var match = obj.StructOps("plain_cc").KernelMatch!;
        Assert.Equal("tcp_congestion_ops", match.KernelTypeName);
        Assert.Empty(match.MissingInKernel);
        var congAvoid = match.Members.Single(m => m.Name == "cong_avoid");
        Assert.True(congAvoid.InKernel);
        // The program was loaded for exactly that member of that struct.
        var info = obj.Program("cc_cong_avoid").GetInfo();
        Assert.Equal((uint)match.KernelTypeId, info.AttachBtfId);
        Assert.Equal(BpfProgramType.StructOps, info.Type);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void ProgramSwapBeforeLoadChangesWhatRunsAndUnusedProgramsAreNotLoaded()
    {
        using var obj = OpenTcpWith("plain_cc");
        var ops = obj.StructOps("plain_cc");
        var congAvoid = ops.Member("cong_avoid");
        Assert.Equal("cc_cong_avoid", ops.GetProgram(congAvoid)!.Name);
        ops.SetProgram(congAvoid, obj.Program("cc_cong_avoid_alt"));
        obj.Load();

        Assert.False(obj.Program("cc_cong_avoid").IsLoaded); // referenced by no created map now
        Assert.True(obj.Program("cc_cong_avoid_alt").IsLoaded);
        using (ops.Register())
            TcpTransfer.Run(Cc("bpfsk_plain"), 4 << 20);
        var bss = obj.GlobalDataSection(".bss");
        Assert.Equal(0ul, bss.Read<ulong>(16));
        Assert.True(bss.Read<ulong>(24) > 0, "the swapped-in cong_avoid ran");
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void ShadowEditsAreRejectedAfterLoad()
    {
        using var obj = OpenTcpWith("plain_cc");
        var ops = obj.StructOps("plain_cc");
        obj.Load();
        var error = Assert.Throws<InvalidOperationException>(() => ops.SetProgram(ops.Member("cong_avoid"), obj.Program("cc_cong_avoid_alt")));
        Assert.Contains("before Load()", error.Message);
        Assert.Throws<InvalidOperationException>(() => ops.WriteMember(ops.Member("flags")));
    }

    [KernelFact]
    public void SettingAMemberToANonStructOpsProgramIsRefused()
    {
        using var tcp = OpenTcpWith("plain_cc");
        using var other = BpfObject.Open(TestObjects.PathOf("globals"));
        var ops = tcp.StructOps("plain_cc");
        var foreign = Assert.Throws<ArgumentException>(() => ops.SetProgram(ops.Member("cong_avoid"), other.Program("on_getpid")));
        Assert.Contains("another object", foreign.Message);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void ScalarAndNameEditsReachTheKernel()
    {
        using var obj = OpenTcpWith("plain_cc");
        var ops = obj.StructOps("plain_cc");
        var name = ops.WriteMember(ops.Member("name"));
        name.Clear();
        System.Text.Encoding.ASCII.GetBytes(Cc("bpfsk_renamed"), name);
        obj.Load();
        using (ops.Register())
        {
            Assert.True(CongestionControls.IsRegistered(Cc("bpfsk_renamed")));
            Assert.False(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
        }
        Assert.False(CongestionControls.IsRegistered(Cc("bpfsk_renamed")));
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
    public void UpdateMapSwapsALiveLinkToAnotherMap()
    {
        using var obj = OpenTcpWith("link_cc", "link_cc_alt");
        obj.Load();
        var bss = obj.GlobalDataSection(".bss");
        using var link = (StructOpsLink)obj.StructOps("link_cc").Register();
        TcpTransfer.Run(Cc("bpfsk_link"), 2 << 20);
        var firstAlt = bss.Read<ulong>(24);
        Assert.Equal(0ul, firstAlt);
        Assert.True(bss.Read<ulong>(16) > 0);

        link.UpdateMap(obj.StructOps("link_cc_alt"));
        var before = bss.Read<ulong>(16);
        TcpTransfer.Run(Cc("bpfsk_link"), 2 << 20);
        Assert.True(bss.Read<ulong>(24) > 0, "connections after the swap use the new map");
        Assert.Equal(before, bss.Read<ulong>(16));
    }

    /// <summary>
    /// A plain .struct_ops map registers once: the kernel frees its value when it is unregistered, so Attach()
    /// after Detach() cannot register it again. The error says so and names the way out (a .link map).
    /// </summary>
    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void APlainMapDetachedCannotBeAttachedAgainAndSaysWhy()
    {
        using var obj = OpenTcpWith("plain_cc");
        obj.Load();
        obj.Attach();
        Assert.True(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
        obj.Detach();
        Assert.False(CongestionControls.IsRegistered(Cc("bpfsk_plain")));

        var error = Assert.ThrowsAny<BpfException>(obj.Attach);
        Assert.Contains("plain_cc", error.Message);
        Assert.Contains("registers once", error.Message);
        Assert.Contains(".struct_ops.link", error.Message);
        Assert.False(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
    }

    /// <summary>The subsystem's validation refuses a value at registration: the error names what is zero and what the type needs.</summary>
    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void AValueTheSubsystemRefusesNamesTheZeroMembersAndTheNeeds()
    {
        using var obj = OpenTcpWith("plain_cc");
        var plain = obj.StructOps("plain_cc");
        plain.SetProgram(plain.Member("cong_avoid"), null); // tcp_congestion_ops needs cong_avoid or cong_control
        obj.Load();

        var error = Assert.ThrowsAny<BpfException>(obj.Attach);
        Assert.Equal("EINVAL", error.ErrnoName);
        Assert.Contains("validation of tcp_congestion_ops refused the value", error.Message);
        Assert.Contains("cong_avoid", error.Message);
        Assert.Contains("needs a non-empty name, ssthresh, undo_cwnd, and cong_avoid or cong_control", error.Message);
        Assert.False(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void RegisteringATakenNameFailsClearly()
    {
        using var first = OpenTcpWith("plain_cc");
        using var second = OpenTcpWith("plain_cc");
        first.Load();
        second.Load();
        using var registration = first.StructOps("plain_cc").Register();
        var error = Assert.ThrowsAny<Exception>(() => second.StructOps("plain_cc").Register());
        Assert.Contains(Cc("bpfsk_plain"), error.Message);
        Assert.True(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
    public void LinkRegistrationDiesWithTheProcessPlainRegistrationOutlivesIt()
    {
        RunChildAndKill("link_cc", "bpfsk_link");
        Assert.True(WaitUntil(() => !CongestionControls.IsRegistered(Cc("bpfsk_link"))), "the link died with its process");

        var orphan = RunChildAndKill("plain_cc", "bpfsk_plain");
        try
        {
            // Documented: a plain .struct_ops registration holds the map; it stays until unregistered.
            Assert.True(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
        }
        finally
        {
            UnregisterOrphan(orphan);
        }
        Assert.True(WaitUntil(() => !CongestionControls.IsRegistered(Cc("bpfsk_plain"))));
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
    public void DisconnectedRegistrationsOutliveTheObject()
    {
        // Plain map: the registration holds the map; it stays until someone deletes the value.
        uint orphan;
        using (var obj = OpenTcpWith("plain_cc"))
        {
            obj.Load();
            orphan = obj.Map("plain_cc").Map.Id;
            using var registration = obj.StructOps("plain_cc").Register();
            registration.Disconnect();
        }
        try
        {
            Assert.True(CongestionControls.IsRegistered(Cc("bpfsk_plain")));
        }
        finally
        {
            UnregisterOrphan(orphan);
        }
        Assert.True(WaitUntil(() => !CongestionControls.IsRegistered(Cc("bpfsk_plain"))));

        // Link map: pinned and disconnected, it lasts until the pin is removed.
        var pin = $"/sys/fs/bpf/bpfsk_test_link_{Environment.ProcessId}";
        using (var obj = OpenTcpWith("link_cc"))
        {
            obj.Load();
            using var link = (StructOpsLink)obj.StructOps("link_cc").Register();
            link.Disconnect(pin);
        }
        try
        {
            Assert.True(CongestionControls.IsRegistered(Cc("bpfsk_link")));
        }
        finally
        {
            File.Delete(pin);
        }
        Assert.True(WaitUntil(() => !CongestionControls.IsRegistered(Cc("bpfsk_link"))));
    }

    /// <summary>Runs a child that registers the map under this process's name for <paramref name="declared"/>, kills it, and returns the map's id.</summary>
    private static uint RunChildAndKill(string map, string declared)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "BpfSkeleton.StructOpsChild.dll");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(child);
        start.ArgumentList.Add(TestObjects.PathOf("tcp_cc"));
        start.ArgumentList.Add(map);
        start.ArgumentList.Add(Cc(declared));
        using var process = Process.Start(start)!;
        try
        {
            var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            Assert.StartsWith("registered ", line);
            return uint.Parse(line!["registered ".Length..]);
        }
        finally
        {
            // SIGKILL: no managed cleanup runs in the child.
            if (!process.HasExited) kill(process.Id, 9);
            Assert.True(process.WaitForExit(30_000), "child did not die");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>
    /// Deletes the value of the orphaned struct_ops map, as `bpftool struct_ops unregister` does. By id, not by
    /// map name: another process's test may hold a map of the same name.
    /// </summary>
    private static void UnregisterOrphan(uint id)
    {
        using var map = BpfMap.FromId(id);
        // EINPROGRESS: it is already being unregistered.
        try { map.TryDelete(0u); }
        catch (BpfException e) when (e.Errno == 115) { }
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition()) return true;
            System.Threading.Thread.Sleep(50);
        }
        return false;
    }
}
