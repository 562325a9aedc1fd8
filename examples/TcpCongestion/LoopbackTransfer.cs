using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TcpCongestion;

/// <summary>
/// Bulk transfers over 127.0.0.1 whose sending socket selects a congestion control by name
/// (setsockopt TCP_CONGESTION), one connection after another until stopped.
/// </summary>
internal sealed class LoopbackTransfer
{
    private const int IpProtoTcp = 6;
    private const int TcpCongestionOption = 13; // TCP_CONGESTION from <netinet/tcp.h>
    private const int BytesPerConnection = 256 << 20;

    private readonly string _congestionControl;

    public LoopbackTransfer(string congestionControl) => _congestionControl = congestionControl;

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public int Connections => Volatile.Read(ref _connections);

    private long _bytesSent;
    private int _connections;

    /// <summary>Runs connections back to back until <paramref name="stop"/> fires.</summary>
    public void Run(CancellationToken stop)
    {
        var chunk = new byte[64 << 10];
        while (!stop.IsCancellationRequested)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sender.SetRawSocketOption(IpProtoTcp, TcpCongestionOption, Encoding.ASCII.GetBytes(_congestionControl));
            sender.Connect(listener.LocalEndPoint!);
            using var receiver = listener.Accept();
            EnsureSelected(sender);
            Interlocked.Increment(ref _connections);

            var drain = Task.Run(() => Drain(receiver));
            for (var sent = 0; sent < BytesPerConnection && !stop.IsCancellationRequested; sent += chunk.Length)
            {
                sender.Send(chunk);
                Interlocked.Add(ref _bytesSent, chunk.Length);
            }
            sender.Shutdown(SocketShutdown.Send);
            drain.Wait();
        }
    }

    /// <summary>The kernel silently keeps the default for an unknown name on some paths; check what the socket got.</summary>
    private void EnsureSelected(Socket socket)
    {
        var name = new byte[16];
        var length = socket.GetRawSocketOption(IpProtoTcp, TcpCongestionOption, name);
        var selected = Encoding.ASCII.GetString(name, 0, length).TrimEnd('\0');
        if (selected != _congestionControl)
            throw new InvalidOperationException($"the socket uses '{selected}', not '{_congestionControl}'");
    }

    private static void Drain(Socket receiver)
    {
        var buffer = new byte[256 << 10];
        while (receiver.Receive(buffer) > 0) { }
    }
}
