using System.Diagnostics;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>Makes sure the kernel's special filesystems the tests use are mounted.</summary>
internal static class BpfFs
{
    public const string Root = "/sys/fs/bpf";

    public static string EnsureMounted()
    {
        if (!IsMounted(Root, "bpf"))
            Run("mount", $"-t bpf bpf {Root}");
        return Root;
    }

    /// <summary>The tracefs directory with events/, mounting tracefs if needed.</summary>
    public static string EnsureTracefs()
    {
        foreach (string path in new[] { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" })
        {
            if (Directory.Exists(Path.Combine(path, "events")))
                return path;
        }
        Run("mount", "-t tracefs tracefs /sys/kernel/tracing");
        return "/sys/kernel/tracing";
    }

    private static bool IsMounted(string path, string type)
    {
        foreach (string line in File.ReadAllLines("/proc/self/mounts"))
        {
            string[] parts = line.Split(' ');
            if (parts.Length > 2 && parts[1] == path && parts[2] == type)
                return true;
        }
        return false;
    }

    public static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new IOException($"{file} {arguments} failed ({process.ExitCode}): {output}");
        return output;
    }
}
