// Registers a TCP congestion control written in BPF C (tcp_congestion.bpf.c), sends loopback
// traffic through it, and reports what the kernel asked of it. Everything the command line sets
// is a shadow value: edits to the struct_ops map and to .rodata made after Open() and before Load().
using BpfSkeleton.Examples;
using TcpCongestion;

const uint TcpCongNonRestricted = 0x1; // TCP_CONG_NON_RESTRICTED from <net/tcp.h>

var options = Options.Parse(args);
Privileges.RequireRoot();

using var skeleton = TcpCongestionSkeleton.Open();

var cc = skeleton.StructOps.CongestionControl;
cc.Name = options.Name;
cc.Flags = options.NonRestricted ? TcpCongNonRestricted : 0;
cc.CongAvoid = options.CongAvoid == "scalable" ? skeleton.Programs.CongAvoidScalable : skeleton.Programs.CongAvoidReno;
skeleton.Rodata.BetaPercent = options.BetaPercent;
skeleton.Rodata.InitialSsthresh = options.InitialSsthresh;

skeleton.Load();
skeleton.Attach(); // registers the struct_ops map: the kernel now offers the congestion control by name
Console.WriteLine($"registered congestion control '{cc.Name}' (cong_avoid: {cc.CongAvoid?.Name}, beta {options.BetaPercent}%, " +
                  $"initial ssthresh {(options.InitialSsthresh == 0 ? "kernel default" : options.InitialSsthresh)})");
Console.WriteLine($"available: {File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control").Trim()}");

using (var lifetime = new Lifetime(options.Duration))
{
    var transfer = new LoopbackTransfer(options.Name);
    var sending = Task.Run(() => transfer.Run(lifetime.Token));
    var start = DateTime.UtcNow;
    while (lifetime.Wait(TimeSpan.FromSeconds(1)) && !sending.IsCompleted)
        Report.Progress(skeleton, transfer, DateTime.UtcNow - start);
    sending.Wait(); // rethrows a failed transfer
    Report.Progress(skeleton, transfer, DateTime.UtcNow - start);
}

Report.Summary(skeleton);
skeleton.Detach(); // unregisters: the name disappears from tcp_available_congestion_control
Console.WriteLine($"unregistered '{options.Name}'");
