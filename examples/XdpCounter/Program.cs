// Counts packets with XDP on the host end of a veth pair whose other end lives in a network
// namespace the example creates (and removes). Traffic: TCP connection attempts to a closed port
// in the namespace, each answered by a RST that arrives through the counted interface.
using System.Net;
using System.Net.Sockets;
using BpfSkeleton.Examples;
using XdpCounter;

var line = new CommandLine(args, """
    usage: XdpCounter [--duration SECONDS]
      --duration SECONDS   run this long (default 5; 0: until Ctrl+C)
    """);
var duration = line.Duration(defaultSeconds: 5);
line.RejectUnknown();
Privileges.RequireRoot();

using var veth = VethPair.Create();
using var skeleton = XdpCounterSkeleton.Open();
skeleton.Load();
using var link = skeleton.Programs.CountPackets.AttachXdp(VethPair.HostSide);
Console.WriteLine($"counting packets arriving on {VethPair.HostSide} (peer {VethPair.PeerAddress} in netns {VethPair.Namespace})");

using var lifetime = new Lifetime(duration);
var refused = 0;
while (lifetime.Wait(TimeSpan.FromMilliseconds(250)))
{
    refused += ConnectRefused(new IPEndPoint(IPAddress.Parse(VethPair.PeerAddress), 9)) ? 1 : 0;
    if (refused % 4 == 0) PrintCounts(skeleton, refused);
}
PrintCounts(skeleton, refused);

// True when the namespace answered with a RST (nothing listens there).
static bool ConnectRefused(IPEndPoint target)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        socket.Connect(target);
        return false;
    }
    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
    {
        return true;
    }
}

static void PrintCounts(XdpCounterSkeleton skeleton, int refused)
{
    var counts = skeleton.Maps.Counts;
    var parts = new List<string>();
    foreach (var kind in counts.Keys())
        if (counts.TryLookup(kind, out var count))
            parts.Add($"{Describe(kind)} {count.Packets} packets/{count.Bytes} bytes");
    parts.Sort(StringComparer.Ordinal);
    Console.WriteLine($"{refused} connections refused; xdp saw: {(parts.Count == 0 ? "nothing yet" : string.Join(", ", parts))}");
}

static string Describe(XdpCounterSkeleton.PacketKind kind) => kind.Ethertype switch
{
    0x0800 => kind.IpProtocol switch { 1 => "IPv4/ICMP", 6 => "IPv4/TCP", 17 => "IPv4/UDP", var p => $"IPv4/proto {p}" },
    0x0806 => "ARP",
    0x86DD => "IPv6",
    var type => $"ethertype 0x{type:x4}",
};
