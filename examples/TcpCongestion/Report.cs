namespace TcpCongestion;

/// <summary>Prints what the BPF side recorded: .bss counters and histogram, and the per-connection map.</summary>
internal static class Report
{
    public static void Progress(TcpCongestionSkeleton skeleton, LoopbackTransfer transfer, TimeSpan elapsed)
    {
        var calls = skeleton.Bss.Calls;
        Console.WriteLine($"[{elapsed.TotalSeconds,4:F1}s] {transfer.Connections} connections, {transfer.BytesSent / (1 << 20)} MiB sent; " +
                          $"cong_avoid {calls.CongAvoidReno + calls.CongAvoidScalable}, max cwnd {skeleton.Bss.MaxCwnd}");
    }

    public static void Summary(TcpCongestionSkeleton skeleton)
    {
        var calls = skeleton.Bss.Calls;
        Console.WriteLine();
        Console.WriteLine("callbacks:");
        foreach (var (name, count) in new[]
        {
            ("init", calls.Init), ("release", calls.Release), ("ssthresh", calls.Ssthresh),
            ("cong_avoid (reno)", calls.CongAvoidReno), ("cong_avoid (scalable)", calls.CongAvoidScalable),
            ("undo_cwnd", calls.UndoCwnd), ("cwnd_event", calls.CwndEvent), ("set_state", calls.SetState),
        })
            Console.WriteLine($"  {name,-22} {count,10}");

        Console.WriteLine();
        Console.WriteLine($"cwnd seen by cong_avoid, in segments (max {skeleton.Bss.MaxCwnd}):");
        var histogram = skeleton.Bss.CwndHistogram;
        var largest = Math.Max(1UL, Max(histogram));
        for (var bucket = 0; bucket < histogram.Length; bucket++)
        {
            if (histogram[bucket] == 0) continue;
            var range = $"{1L << bucket}..{(1L << (bucket + 1)) - 1}";
            Console.WriteLine($"  {range,-12} {histogram[bucket],10} {new string('#', (int)(40 * histogram[bucket] / largest))}");
        }

        Console.WriteLine();
        var connections = ReadConnections(skeleton);
        Console.WriteLine($"connections (from the 'connections' hash map; {connections.Count} in all, largest windows first):");
        Console.WriteLine("  local  remote       acked   cwnd  max cwnd  ssthresh  losses");
        foreach (var (key, stats) in connections.OrderByDescending(c => c.Stats.MaxCwnd).Take(MaxConnectionsShown))
        {
            var ssthresh = stats.Ssthresh >= int.MaxValue ? "inf" : stats.Ssthresh.ToString();
            Console.WriteLine($"  {key.LocalPort,5}  {key.RemotePort,6} {stats.AckedSegments,11} {stats.Cwnd,6} {stats.MaxCwnd,9} {ssthresh,9} {stats.LossEvents,7}");
        }
    }

    private const int MaxConnectionsShown = 8;

    private static List<(TcpCongestionSkeleton.Connection Key, TcpCongestionSkeleton.ConnectionStats Stats)> ReadConnections(TcpCongestionSkeleton skeleton)
    {
        var map = skeleton.Maps.Connections;
        var entries = new List<(TcpCongestionSkeleton.Connection, TcpCongestionSkeleton.ConnectionStats)>();
        foreach (var key in map.Keys())
            if (map.TryLookup(key, out var stats)) // absent when deleted meanwhile
                entries.Add((key, stats));
        return entries;
    }

    private static ulong Max(Span<ulong> values)
    {
        var max = 0UL;
        foreach (var value in values) max = Math.Max(max, value);
        return max;
    }
}
