using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

[Collection("Kernel")]
public class PermissionTests
{
    [KernelFact]
    public void UnprivilegedMapCreateExplainsEperm()
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "BpfSkeleton.PermissionProbe.dll");
        Assert.True(File.Exists(probe), probe);
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (string argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", Environment.ProcessPath ?? "dotnet", probe })
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = "/tmp";
        start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output}");
        Assert.Contains("create map 'events' (Ringbuf): EPERM (Operation not permitted) — needs CAP_BPF or root", output);
    }
}
