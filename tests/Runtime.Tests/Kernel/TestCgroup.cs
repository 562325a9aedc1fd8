using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>A cgroup v2 directory for one test, with a way to run a child process inside it; removed on dispose.</summary>
internal sealed class TestCgroup : IDisposable
{
    private TestCgroup(string path) => Path = path;

    public string Path { get; }

    /// <summary>Creates bpfsk{pid}{tag} under the cgroup v2 mount (/sys/fs/cgroup, or its unified/ part on hybrid systems).</summary>
    public static TestCgroup Create(string tag)
    {
        string path = System.IO.Path.Combine(Cgroup2Mount(), $"bpfsk{Environment.ProcessId}{tag}");
        Directory.CreateDirectory(path);
        return new TestCgroup(path);
    }

    /// <summary>
    /// Runs <paramref name="script"/> with bash inside the cgroup: the shell moves itself in before
    /// anything else, so everything the script does counts there. Throws if it fails.
    /// </summary>
    public void RunInside(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"echo $$ > {System.IO.Path.Combine(Path, "cgroup.procs")} && {{ {script}\n}}");
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new IOException($"bash in {Path} failed ({process.ExitCode}): {output}");
    }

    public void Dispose()
    {
        // The directory goes once no process is left in it; a child that just exited may still be
        // leaving, so kill stragglers and retry briefly.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                foreach (string pid in File.ReadAllLines(System.IO.Path.Combine(Path, "cgroup.procs")))
                {
                    try
                    {
                        Process.GetProcessById(int.Parse(pid)).Kill();
                    }
                    catch (ArgumentException)
                    {
                        // already gone
                    }
                }
                Thread.Sleep(20);
            }
        }
    }

    private static string Cgroup2Mount()
    {
        foreach (string line in File.ReadAllLines("/proc/self/mounts"))
        {
            string[] parts = line.Split(' ');
            if (parts.Length > 2 && parts[2] == "cgroup2")
                return parts[1];
        }
        throw new InvalidOperationException("no cgroup v2 hierarchy is mounted (see /proc/self/mounts)");
    }
}
