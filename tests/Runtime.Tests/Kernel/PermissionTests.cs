using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

[Collection("Kernel")]
public class PermissionTests
{
    /// <summary>
    /// A process without the privilege is told what it needs; root whose capabilities were dropped (a container,
    /// setpriv) is told that too, not that the kernel refuses root.
    /// </summary>
    [KernelTheory]
    [InlineData("--reuid=65534 --regid=65534 --clear-groups", "create map 'events' (Ringbuf): EPERM (Operation not permitted) — needs CAP_BPF or root")]
    [InlineData("--inh-caps=-all --bounding-set=-all", "needs CAP_BPF or root: running as root, but without CAP_BPF or CAP_SYS_ADMIN")]
    public void MapCreateWithoutPrivilegeExplainsEperm(string setpriv, string expected)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "BpfSkeleton.PermissionProbe.dll");
        Assert.True(File.Exists(probe), probe);
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (string argument in setpriv.Split(' ').Concat(new[] { "--", Environment.ProcessPath ?? "dotnet", probe }))
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = "/tmp";
        start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output}");
        Assert.Contains(expected, output);
        Assert.DoesNotContain("refused although running as root", output);
    }
}
