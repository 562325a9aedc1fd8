using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>Runs native/usdt_target (Usdt/native/usdt_target.c), the program whose USDT probes the tests attach to.</summary>
internal static class UsdtTarget
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "native", "usdt_target");

    /// <summary>The same program built position-independent: it runs at an address chosen when it starts.</summary>
    public static string PiePath => System.IO.Path.Combine(AppContext.BaseDirectory, "native", "usdt_target_pie");

    /// <summary>bpfsk:args as usdt_target.c computes them: -9, 4000000000u, then registers of every size and sign.</summary>
    public static readonly long[] ArgsValues =
    {
        -9, 4000000000, 0xab, -5, 0xbeef, -1234, 0xdeadbeef, -123456789,
        unchecked((long)0xfedcba9876543210), -1234567890123, 0xac, -1235,
    };

    /// <summary>bpfsk:memory: u8, s8, u16, s16, u32, s32, u64, s64, each read from the stack.</summary>
    public static readonly long[] MemoryValues =
    {
        0xfe, -100, 0xfffe, -30000, 0xfffffffe, -2000000000, -2, -9000000000000000000,
    };

    /// <summary>How far the build's -Ttext-segment moved the first segment's addresses from its file offsets.</summary>
    public const ulong TextShift = 0x200000;

    /// <summary>Fires every probe <paramref name="count"/> times; returns the semaphore value the program saw.</summary>
    public static int Run(int count = 1)
    {
        using var process = Start(wait: false, count, Path);
        return Finish(process);
    }

    /// <summary>Starts the program paused: it fires once a line is written to it (see <see cref="Release"/>).</summary>
    public static Process StartPaused(int count = 1, string? path = null)
    {
        var process = Start(wait: true, count, path ?? Path);
        Assert.Equal("ready", process.StandardOutput.ReadLine());
        return process;
    }

    /// <summary>Lets a paused program fire; returns the semaphore value it saw.</summary>
    public static int Release(Process process)
    {
        process.StandardInput.WriteLine("go");
        process.StandardInput.Flush();
        return Finish(process);
    }

    private static Process Start(bool wait, int count, string path)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = wait,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (wait)
            start.ArgumentList.Add("--wait");
        start.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }

    private static int Finish(Process process)
    {
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new TimeoutException("usdt_target did not finish");
        }
        Assert.True(process.ExitCode == 0, $"usdt_target exited with {process.ExitCode}: {output}");
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("semaphore=", StringComparison.Ordinal))
                return int.Parse(line.AsSpan("semaphore=".Length), System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidDataException($"usdt_target printed no semaphore line: {output}");
    }
}
