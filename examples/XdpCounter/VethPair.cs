using System.Diagnostics;

namespace XdpCounter;

/// <summary>
/// A veth pair with one end in a fresh network namespace: host 10.199.0.1 on <see cref="HostSide"/>,
/// peer 10.199.0.2 inside <see cref="Namespace"/>. Dispose removes both (deleting the namespace
/// deletes its veth end, which takes the host end with it).
/// </summary>
internal sealed class VethPair : IDisposable
{
    public const string Namespace = "bpfsk-xdp";
    public const string HostSide = "bpfsk-xdp0";
    public const string PeerSide = "bpfsk-xdp1";
    public const string HostAddress = "10.199.0.1";
    public const string PeerAddress = "10.199.0.2";

    public static VethPair Create()
    {
        RemoveLeftovers();
        var pair = new VethPair();
        try
        {
            Ip($"netns add {Namespace}");
            Ip($"link add {HostSide} type veth peer name {PeerSide} netns {Namespace}");
            Ip($"addr add {HostAddress}/24 dev {HostSide}");
            Ip($"link set {HostSide} up");
            Ip($"-n {Namespace} addr add {PeerAddress}/24 dev {PeerSide}");
            Ip($"-n {Namespace} link set {PeerSide} up");
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    public void Dispose() => RemoveLeftovers();

    /// <summary>A previous run killed with SIGKILL leaves these behind.</summary>
    private static void RemoveLeftovers()
    {
        Ip($"netns del {Namespace}", mayFail: true);
        Ip($"link del {HostSide}", mayFail: true);
    }

    private static void Ip(string arguments, bool mayFail = false)
    {
        var start = new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot run ip");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !mayFail)
            throw new InvalidOperationException($"ip {arguments}: {error.Trim()}");
    }
}
