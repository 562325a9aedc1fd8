using System.Net;
using System.Net.Sockets;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>
/// attach_net.bpf.o's programs attached through BpfProgram.AttachXxx, each proven to run by the
/// packets or sockets it counts; in namespaces and cgroups of the test's own, removed afterwards.
/// </summary>
[Collection("Kernel")]
public class NetworkAttachTests
{
    private const int Datagrams = 20;

    [KernelFact(BpfProgramType.Xdp, BpfProgramType.SchedCls)]
    public void XdpAndTcxIngressCountDatagramsFromThePeerNamespace()
    {
        using var obj = AttachObjects.Load("attach_net");
        using var receiving = NetworkNamespace.Create("a");
        using var sending = NetworkNamespace.Create("b");
        receiving.Ip($"link add veth0 type veth peer name veth1 netns {sending.Name}");
        receiving.Ip("addr add 10.199.0.1/24 dev veth0");
        receiving.Ip("link set veth0 up");
        sending.Ip("addr add 10.199.0.2/24 dev veth1");
        sending.Ip("link set veth1 up");

        receiving.Run(() =>
        {
            using var receiver = Udp.Bind(IPAddress.Parse("10.199.0.1"));
            using (var xdp = obj.Program("on_xdp").AttachXdp("veth0"))
            using (var tcx = obj.Program("on_tcx").AttachTcx("veth0"))
            {
                Assert.Equal(BpfLinkType.Xdp, xdp.Info.Type);
                Assert.Equal(BpfAttachType.TcxIngress, tcx.Info.AttachType); // from SEC("tcx/ingress")
                sending.Run(() => Udp.Send(receiver.LocalEndPoint!, Datagrams));
                Udp.Receive(receiver, Datagrams);
            }
            // Every datagram passed both hooks; ARP and IPv6 neighbour traffic may add a few.
            ulong xdpCount = obj.Count(Slot.Xdp), tcxCount = obj.Count(Slot.Tcx);
            Assert.InRange(xdpCount, (ulong)Datagrams, Datagrams + 20ul);
            Assert.InRange(tcxCount, (ulong)Datagrams, Datagrams + 20ul);

            sending.Run(() => Udp.Send(receiver.LocalEndPoint!, Datagrams));
            Udp.Receive(receiver, Datagrams);
            Assert.Equal((xdpCount, tcxCount), (obj.Count(Slot.Xdp), obj.Count(Slot.Tcx))); // detached
        });
    }

    [NetkitFact]
    public void NetkitPrimaryCountsThePeersPackets()
    {
        using var obj = AttachObjects.Load("attach_net");
        using var host = NetworkNamespace.Create("nkh");
        using var container = NetworkNamespace.Create("nkc");
        host.Ip($"link add nk0 type netkit mode l3 peer name nk1 netns {container.Name}");
        host.Ip("addr add 10.198.0.1/24 dev nk0");
        host.Ip("link set nk0 up");
        container.Ip("addr add 10.198.0.2/24 dev nk1");
        container.Ip("link set nk1 up");

        host.Run(() =>
        {
            using var receiver = Udp.Bind(IPAddress.Parse("10.198.0.1"));
            using (var link = obj.Program("on_netkit").AttachNetkit("nk0"))
            {
                Assert.Equal(BpfLinkType.NetKit, link.Info.Type);
                Assert.Equal(BpfAttachType.NetKitPrimary, link.Info.AttachType); // from SEC("netkit/primary")
                // The primary's program sees what the peer (the "container" side) transmits.
                container.Run(() => Udp.Send(receiver.LocalEndPoint!, Datagrams));
                Udp.Receive(receiver, Datagrams);
            }
            ulong counted = obj.Count(Slot.Netkit);
            Assert.InRange(counted, (ulong)Datagrams, Datagrams + 20ul);

            container.Run(() => Udp.Send(receiver.LocalEndPoint!, Datagrams));
            Udp.Receive(receiver, Datagrams);
            Assert.Equal(counted, obj.Count(Slot.Netkit)); // detached
        });
    }

    [KernelFact(BpfProgramType.SchedCls)]
    public void NetkitOnADeviceThatIsNotNetkitFailsSayingWhy()
    {
        using var obj = AttachObjects.Load("attach_net");
        using var ns = NetworkNamespace.Create("nkv");
        ns.Ip("link add veth0 type veth peer name veth1");
        ns.Run(() =>
        {
            var leak = new LeakCheck();
            var e = Assert.ThrowsAny<BpfException>(() => obj.Program("on_netkit").AttachNetkit("veth0"));
            Assert.Contains("NetKitPrimary", e.Message);
            if (e.Errno == 22)
                Assert.Contains("not the primary of a netkit pair", e.Message);
            leak.AssertNothingLeaked();
        });
    }

    [KernelFact(BpfProgramType.CgroupSkb, BpfProgramType.CgroupSock)]
    public void CgroupEgressAndSockCreateCountOnlyTheCgroupsProcesses()
    {
        using var obj = AttachObjects.Load("attach_net");
        using var cgroup = TestCgroup.Create("net");
        using (var egress = obj.Program("on_cgroup_egress").AttachCgroup(cgroup.Path))
        using (var sockCreate = obj.Program("on_sock_create").AttachCgroup(cgroup.Path))
        {
            Assert.Equal(BpfLinkType.Cgroup, egress.Info.Type);
            Assert.Equal(BpfAttachType.CgroupInetEgress, egress.Info.AttachType);
            Assert.Equal(BpfAttachType.CgroupInetSockCreate, sockCreate.Info.AttachType);

            // This process is outside the cgroup: its socket and datagrams are not counted.
            using (var receiver = Udp.Bind(IPAddress.Loopback))
                Udp.SendAndReceive(receiver, Datagrams);
            Assert.Equal((0ul, 0ul), (obj.Count(Slot.CgroupEgress), obj.Count(Slot.SockCreate)));

            // Each bash /dev/udp redirection creates one socket and sends one datagram.
            cgroup.RunInside($"for i in $(seq {Datagrams}); do echo x > /dev/udp/127.0.0.1/9; done");
        }
        Assert.InRange(obj.Count(Slot.SockCreate), (ulong)Datagrams, Datagrams + 5ul);
        Assert.InRange(obj.Count(Slot.CgroupEgress), (ulong)Datagrams, Datagrams + 5ul);

        ulong afterDetach = obj.Count(Slot.SockCreate);
        cgroup.RunInside("echo x > /dev/udp/127.0.0.1/9");
        Assert.Equal(afterDetach, obj.Count(Slot.SockCreate));
    }

    [KernelFact(BpfProgramType.SkLookup)]
    public void SkLookupRunsForEveryDatagramDeliveredInItsNamespace()
    {
        using var obj = AttachObjects.Load("attach_net");
        using var ns = NetworkNamespace.Create("lookup");
        ns.Run(() =>
        {
            using var receiver = Udp.Bind(IPAddress.Loopback);
            using (var link = obj.Program("on_sk_lookup").AttachNetns())
            {
                Assert.Equal(BpfLinkType.NetNs, link.Info.Type);
                Assert.Equal(BpfAttachType.SkLookup, link.Info.AttachType);
                Udp.SendAndReceive(receiver, Datagrams); // SK_PASS: the normal lookup finds the receiver
            }
            Assert.Equal((ulong)Datagrams, obj.Count(Slot.SkLookup));
            Udp.SendAndReceive(receiver, Datagrams);
            Assert.Equal((ulong)Datagrams, obj.Count(Slot.SkLookup));
        });
        // Attached by path from outside the namespace, too.
        using (obj.Program("on_sk_lookup").AttachNetns(ns.Path))
            ns.Run(() =>
            {
                using var receiver = Udp.Bind(IPAddress.Loopback);
                Udp.SendAndReceive(receiver, Datagrams);
            });
        Assert.Equal(2ul * Datagrams, obj.Count(Slot.SkLookup));
    }

    [KernelFact(BpfProgramType.Netfilter)]
    public void NetfilterLocalOutCountsLoopbackDatagrams()
    {
        using var obj = AttachObjects.Load("attach_net");
        using var ns = NetworkNamespace.Create("nf");
        ns.Run(() =>
        {
            using var receiver = Udp.Bind(IPAddress.Loopback);
            using (var link = obj.Program("on_netfilter").AttachNetfilter(NetfilterProtocolFamily.IPv4, NetfilterHook.LocalOut, priority: 0))
            {
                Assert.Equal(BpfLinkType.Netfilter, link.Info.Type);
                Udp.SendAndReceive(receiver, Datagrams); // NF_ACCEPT: they still arrive
            }
            // The namespace has nothing else sending IPv4.
            Assert.Equal((ulong)Datagrams, obj.Count(Slot.Netfilter));
            Udp.SendAndReceive(receiver, Datagrams);
            Assert.Equal((ulong)Datagrams, obj.Count(Slot.Netfilter));
        });
    }

    [KernelFact(BpfMapType.SockHash, BpfProgramType.SkMsg)]
    public void SkMsgCountsSendsOnSocketsInTheSockhash()
    {
        const int Sends = 10;
        using var obj = AttachObjects.Load("attach_net");
        using var attachment = obj.Program("on_sk_msg").AttachSockMap(obj.Map("sockets"));
        Assert.Equal(BpfAttachType.SkMsgVerdict, attachment.AttachType);

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        obj.Map("sockets").Map.Update(0u, (ulong)client.Handle); // a sockhash takes the socket's descriptor

        byte[] message = "ping"u8.ToArray();
        for (int i = 0; i < Sends; i++)
            client.Send(message);
        ReceiveExactly(server, Sends * message.Length); // SK_PASS: the data still arrives
        Assert.Equal((ulong)Sends, obj.Count(Slot.SkMsg));

        // The accepted socket is not in the map: its sends do not run the program.
        server.Send(message);
        ReceiveExactly(client, message.Length);
        Assert.Equal((ulong)Sends, obj.Count(Slot.SkMsg));

        // Detached from the map, the program no longer joins sockets added later. (A socket already
        // in the map keeps the programs it was added with until it leaves the map.)
        attachment.Detach();
        obj.Map("sockets").Map.Update(1u, (ulong)server.Handle);
        server.Send(message);
        ReceiveExactly(client, message.Length);
        Assert.Equal((ulong)Sends, obj.Count(Slot.SkMsg));
    }

    private static void ReceiveExactly(Socket socket, int bytes)
    {
        var buffer = new byte[bytes];
        for (int received = 0; received < bytes;)
        {
            int n = socket.Receive(buffer, received, bytes - received, SocketFlags.None);
            Assert.NotEqual(0, n);
            received += n;
        }
    }
}
