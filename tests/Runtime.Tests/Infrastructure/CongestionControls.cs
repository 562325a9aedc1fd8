using System;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>The kernel's list of registered TCP congestion controls.</summary>
public static class CongestionControls
{
    private const string Available = "/proc/sys/net/ipv4/tcp_available_congestion_control";

    public static bool IsRegistered(string name)
        => Array.IndexOf(File.ReadAllText(Available).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), name) >= 0;
}
