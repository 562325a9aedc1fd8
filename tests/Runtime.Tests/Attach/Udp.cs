using System;
using System.Net;
using System.Net.Sockets;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>IPv4 UDP datagrams for the network attach tests. Sockets belong to the network namespace of the thread that makes them.</summary>
internal static class Udp
{
    private static readonly byte[] Payload = "bpfskeleton"u8.ToArray();

    /// <summary>A receiver bound to an ephemeral port of <paramref name="address"/>; receives time out after 5 s.</summary>
    public static Socket Bind(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    public static void Send(EndPoint to, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 0; i < count; i++)
            socket.SendTo(Payload, to);
    }

    /// <summary>Waits for <paramref name="count"/> datagrams (a SocketException if they do not come).</summary>
    public static void Receive(Socket receiver, int count)
    {
        var buffer = new byte[64];
        for (int i = 0; i < count; i++)
        {
            int length = receiver.Receive(buffer);
            if (!buffer.AsSpan(0, length).SequenceEqual(Payload))
                throw new InvalidOperationException($"unexpected datagram of {length} bytes");
        }
    }

    /// <summary>Sends <paramref name="count"/> datagrams to <paramref name="receiver"/> from this thread and waits for them.</summary>
    public static void SendAndReceive(Socket receiver, int count)
    {
        Send(receiver.LocalEndPoint!, count);
        Receive(receiver, count);
    }
}
