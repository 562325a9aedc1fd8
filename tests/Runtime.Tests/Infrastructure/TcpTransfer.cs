using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>Moves bytes over a loopback TCP connection whose sender uses a given congestion control.</summary>
public static class TcpTransfer
{
    private const int IPPROTO_TCP = 6;
    private const int TCP_CONGESTION = 13;

    [DllImport("libc", SetLastError = true)]
    private static extern int setsockopt(IntPtr socket, int level, int option, byte[] value, int length);

    public static void SetCongestionControl(Socket socket, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        if (setsockopt(socket.Handle, IPPROTO_TCP, TCP_CONGESTION, bytes, bytes.Length) != 0)
            throw new InvalidOperationException($"setsockopt(TCP_CONGESTION, {name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public static void Run(string congestionControl, int bytes)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var receiver = Task.Run(() =>
        {
            using var client = listener.AcceptSocket();
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = client.Receive(buffer)) > 0) total += read;
            return total;
        });
        using (var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            SetCongestionControl(sender, congestionControl);
            sender.Connect(IPAddress.Loopback, port);
            var chunk = new byte[64 * 1024];
            for (var sent = 0; sent < bytes; sent += chunk.Length) sender.Send(chunk);
            sender.Shutdown(SocketShutdown.Send);
        }
        if (!receiver.Wait(TimeSpan.FromSeconds(30)) || receiver.Result < bytes)
            throw new InvalidOperationException("loopback transfer did not complete");
    }
}
