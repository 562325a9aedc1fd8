using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Runs the independent oracles (bpftool, llvm-readelf, clang) the object-model tests compare against.</summary>
internal static class ExternalTool
{
    private static readonly string[] ExtraDirectories = { "/usr/sbin", "/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" };

    public static string Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"{name} is not installed (run .ci/install-prerequisites)");
    }

    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    public static JsonDocument BpftoolBtfJson(string file, string? baseFile = null)
        => JsonDocument.Parse(baseFile is null
            ? Run("bpftool", "-j", "btf", "dump", "file", file)
            : Run("bpftool", "-j", "-B", baseFile, "btf", "dump", "file", file));

    /// <summary>llvm-readelf's JSON for one file: the object under the file-name key.</summary>
    public static JsonElement ReadelfJson(string file, string option)
    {
        using var doc = JsonDocument.Parse(Run("llvm-readelf-14", "--elf-output-style=JSON", option, file));
        return doc.RootElement[0].EnumerateObject().First().Value.Clone();
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Skeleton.sln")))
                    return dir.FullName;
            }
            throw new DirectoryNotFoundException("repository root (Skeleton.sln) not found above the test assembly");
        }
    }
}
