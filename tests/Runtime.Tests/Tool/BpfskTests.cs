using System;
using System.Diagnostics;
using System.IO;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Light;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Tool;

/// <summary>bpfsk as users run it: gen-loader, dump, struct-ops list and unregister.</summary>
[Collection("Kernel")]
public class BpfskTests
{
    private static readonly string Bpfsk = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "BpfSkeleton.Tool",
        new DirectoryInfo(AppContext.BaseDirectory).Name, "bpfsk.dll"));

    internal static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Bpfsk);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    [Fact]
    public void GenLoaderWritesALoaderAndRefusesWhatTheLightPathCannotServe()
    {
        var output = Path.Combine(Path.GetTempPath(), $"bpfsk-test-{Environment.ProcessId}.loader");
        try
        {
            var (code, text) = Run("gen-loader", TestObjects.PathOf("globals"), "-o", output);
            Assert.True(code == 0, text);
            var image = BpfLoaderImage.FromBytes(File.ReadAllBytes(output));
            Assert.True(image.StepCount > 0);

            (code, text) = Run("gen-loader", TestObjects.PathOf("maps"), "-o", output + ".refused");
            Assert.Equal(1, code);
            Assert.Contains(": error BPFSK021:", text); // an MSBuild error at the object
            Assert.Contains("pinned_hash", text);
            Assert.False(File.Exists(output + ".refused"));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void DumpListsProgramsMapsAndVariables()
    {
        var (code, text) = Run("dump", TestObjects.PathOf("globals"));
        Assert.Equal(0, code);
        Assert.Contains("program run_globals", text);
        Assert.Contains(".rodata: rodata_multiplier", text);
        Assert.Equal(2, Run("no-such-verb").ExitCode);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
    public void StructOpsListShowsLeftoverRegistrationsAndUnregisterRemovesThem()
    {
        var pin = $"/sys/fs/bpf/bpfsk_tool_test_{Environment.ProcessId}";
        BpfMap plainMap;
        uint plainId, linkId;
        using (var obj = BpfObject.Open(TestObjects.PathOf("tcp_cc")))
        {
            foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = map.Name is "plain_cc" or "link_cc";
            StructOps.StructOpsTests.RenameCongestionControls(obj);
            obj.Load();
            plainId = obj.Map("plain_cc").Map.Id;
            linkId = obj.Map("link_cc").Map.Id;
            plainMap = BpfMap.FromFd(obj.Map("plain_cc").Map.Fd.Duplicate()); // to clean up if bpfsk does not
            obj.StructOps("plain_cc").Register().Disconnect();         // stays registered by its value
            ((StructOpsLink)obj.StructOps("link_cc").Register()).Disconnect(pin); // stays by its pinned link
        }
        using var _ = plainMap;
        try
        {
            var (code, text) = Run("struct-ops", "list");
            Assert.True(code == 0, text);
            Assert.Matches(@"plain_cc\s+tcp_congestion_ops\s+plain, registered by its value", text);
            Assert.Matches(@"link_cc\s+tcp_congestion_ops\s+link \d+", text);

            // By id: another test process may hold maps of the same names.
            (code, text) = Run("struct-ops", "unregister", plainId.ToString());
            Assert.True(code == 0, text);
            (code, text) = Run("struct-ops", "unregister", linkId.ToString());
            Assert.True(code == 0, text);
            // The kernel frees a congestion control after an RCU grace period: allow it that.
            Assert.True(Eventually(() => !CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_plain"))));
            Assert.True(Eventually(() => !CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_link"))));
            Assert.Equal(1, Run("struct-ops", "unregister", "no_such_map").ExitCode);
        }
        finally
        {
            File.Delete(pin);
            try
            {
                plainMap.TryDelete(0u); // still registered only if bpfsk failed to unregister it
            }
            catch (BpfException)
            {
                // EINPROGRESS: already unregistered, its value on the way out.
            }
        }
    }

    private static bool Eventually(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100 && !condition(); attempt++)
            System.Threading.Thread.Sleep(20);
        return condition();
    }
}
