using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// The README's capability table, held against the kernel: the permission probe runs as nobody (uid 65534)
/// with exactly the capabilities named, so no root privilege hides a missing one.
/// </summary>
[Collection("Kernel")]
public class CapabilityTableTests
{
    /// <summary>struct_ops programs are perfmon program types: CAP_BPF + CAP_PERFMON register them; CAP_NET_ADMIN does not.</summary>
    [KernelTheory(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    [InlineData("+bpf,+perfmon", 1)]
    [InlineData("+bpf,+net_admin", 0)]
    [InlineData("+bpf", 0)]
    public void StructOpsRegistersWithBpfAndPerfmon(string capabilities, int expectedExit)
    {
        string name = $"bpfsk_cap{Environment.ProcessId % 100000}";
        var (exit, output) = RunProbe(capabilities, "struct_ops", TestObjects.PathOf("tcp_cc"), "plain_cc", name);
        Assert.True(exit == expectedExit, $"exit {exit} with {capabilities}: {output}");
        Assert.Contains(expectedExit == 1 ? $"registered {name}" : "StructOps programs need CAP_BPF + CAP_PERFMON, or root", output);
    }

    /// <summary>
    /// A tracepoint attach as nobody with CAP_BPF + CAP_PERFMON reaches tracefs, which is mounted but not readable
    /// by that user here: the error says so (EACCES), not that tracefs is missing.
    /// </summary>
    [KernelFact(BpfProgramType.Tracepoint)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TracepointAttachWithoutTracefsAccessSaysTracefsIsNotReadable()
    {
        var (exit, output) = RunProbe("+bpf,+perfmon", "tracepoint", TestObjects.PathOf("attach_trace"), "on_tracepoint");
        if (TracefsReadableByOthers())
        {
            Assert.True(exit == 1, $"tracefs is readable by every user here, so the attach must work: exit {exit}: {output}");
            return;
        }
        Assert.True(exit == 0, $"exit {exit}: {output}");
        Assert.Contains("tracefs is mounted but this process may not read", output);
        Assert.Contains("EACCES", output);
        Assert.DoesNotContain("not mounted", output);
    }

    /// <summary>Maps need CAP_BPF; those that redirect packets or hold sockets need CAP_NET_ADMIN too, and the error says so.</summary>
    [KernelTheory]
    [InlineData("+bpf", "Hash", 1, "created")]
    [InlineData("+bpf", "SockMap", 0, "SockMap maps need CAP_BPF + CAP_NET_ADMIN, or root")]
    [InlineData("+bpf,+net_admin", "SockMap", 1, "created")]
    public void MapCreateNeedsBpfAndNetAdminForSocketMaps(string capabilities, string mapType, int expectedExit, string expected)
    {
        var (exit, output) = RunProbe(capabilities, "map", mapType);
        Assert.True(exit == expectedExit, $"exit {exit} with {capabilities}: {output}");
        Assert.Contains(expected, output);
    }

    /// <summary>Networking programs need CAP_NET_ADMIN (not CAP_PERFMON), except cgroup_skb; the error names what the type needs.</summary>
    [KernelTheory(BpfProgramType.SchedCls, BpfProgramType.Xdp, BpfProgramType.CgroupSkb)]
    [InlineData("+bpf,+perfmon", "on_tcx", 0, "SchedCls programs need CAP_BPF + CAP_NET_ADMIN, or root")]
    [InlineData("+bpf,+net_admin", "on_tcx", 1, "loaded on_tcx")]
    [InlineData("+bpf", "on_xdp", 0, "Xdp programs need CAP_BPF + CAP_NET_ADMIN, or root")]
    [InlineData("+bpf", "on_cgroup_egress", 1, "loaded on_cgroup_egress")]
    public void NetworkingProgramsNeedNetAdmin(string capabilities, string program, int expectedExit, string expected)
    {
        var (exit, output) = RunProbe(capabilities, "load", TestObjects.PathOf("attach_net"), program);
        Assert.True(exit == expectedExit, $"exit {exit} with {capabilities}: {output}");
        Assert.Contains(expected, output);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool TracefsReadableByOthers()
        => (File.GetUnixFileMode("/sys/kernel/tracing") & UnixFileMode.OtherExecute) != 0;

    private static (int Exit, string Output) RunProbe(string capabilities, params string[] arguments)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "BpfSkeleton.PermissionProbe.dll");
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (string argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups",
                     $"--inh-caps=-all,{capabilities}", $"--ambient-caps=-all,{capabilities}", "--", Environment.ProcessPath ?? "dotnet", probe }
                     .Concat(arguments))
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = "/tmp";
        start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the probe did not finish");
        return (process.ExitCode, output);
    }
}
