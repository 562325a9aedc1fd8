using System;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>
/// Congestion-control names unique to this test process. The kernel's list of congestion controls is one per
/// machine: two suites running at once, or a plain struct_ops registration a killed run left behind (it
/// outlives its process), would make a fixed name like "bpfsk_plain" fail with EEXIST in a test that did
/// nothing wrong.
/// </summary>
public static class TestCongestionNames
{
    private const string ObjectPrefix = "bpfsk_";

    /// <summary>
    /// The name this process registers in place of a name the test object declares ("bpfsk_plain" becomes
    /// "bk1234_plain"): a short prefix, the process id and at most five characters of the original, so the
    /// result fits tcp_congestion_ops' 16-byte name with its NUL.
    /// </summary>
    public static string For(string declared)
    {
        var rest = declared.StartsWith(ObjectPrefix, StringComparison.Ordinal) ? declared[ObjectPrefix.Length..] : declared;
        var name = $"bk{Environment.ProcessId}_{rest[..Math.Min(rest.Length, 5)]}";
        if (name.Length > 15) throw new InvalidOperationException($"congestion-control name '{name}' does not fit 15 bytes");
        return name;
    }
}
