using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BpfSkeleton.Generator.Tests.Infrastructure;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>
    /// A generated skeleton against the real kernel: open tcp_cc, rename a congestion control and
    /// swap its cong_avoid program through the shadow, load, attach, and watch a TCP connection use it.
    /// Needs root: without it the load fails, and so does the test.
    /// </summary>
    [Collection("Kernel")]
    public sealed class KernelEndToEndTests
    {
        private const int IpProtoTcp = 6;
        private const int TcpCongestion = 13;

        [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
        public void ShadowEditsReachTheKernel()
        {
            var assembly = CompileTests.CompileSkeleton(GeneratorHarness.TestObject("tcp_cc.bpf.o"), out _);
            var type = assembly.GetType("Test.Skeletons.TcpCcSkeleton")!;
            dynamic skeleton = type.GetMethod("Open", Type.EmptyTypes)!.Invoke(null, null)!;
            using var disposable = (IDisposable)skeleton;

            var plain = skeleton.StructOps.PlainCc;
            plain.Name = TestCongestionNames.For("bpfsk_gen");
            plain.CongAvoid = skeleton.Programs.CcCongAvoidAlt;
            // Two .struct_ops.link maps share one name (and other tests may hold it): register one, renamed.
            skeleton.Maps.LinkCcAlt.AutoCreate = false;
            skeleton.StructOps.LinkCc.Name = TestCongestionNames.For("bpfsk_genl");
            Assert.Equal(TestCongestionNames.For("bpfsk_gen"), (string)plain.Name);
            skeleton.Load();
            skeleton.Attach();

            Assert.Contains(TestCongestionNames.For("bpfsk_gen"), File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control"));
            TransferOverLoopback(TestCongestionNames.For("bpfsk_gen"), 4 << 20);
            Assert.True((ulong)skeleton.Bss.InitCalls > 0, "the renamed congestion control was never initialized");
            Assert.True((ulong)skeleton.Bss.CongAvoidAltCalls > 0, "the swapped-in cong_avoid program never ran");
            Assert.Equal(0UL, (ulong)skeleton.Bss.CongAvoidCalls);

            skeleton.Detach();
            Assert.DoesNotContain(TestCongestionNames.For("bpfsk_gen"), File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control"));
        }

        /// <summary>map_types' <c>__arena</c> global through the generated view: set before load, bumped by its program, read live.</summary>
        [KernelFact(BpfMapType.Arena, BpfProgramType.Syscall)]
        public void ArenaGlobalsViewReachesTheKernel()
        {
            var assembly = CompileTests.CompileSkeleton(GeneratorHarness.TestObject("map_types.bpf.o"), out _);
            var type = assembly.GetType("Test.Skeletons.MapTypesSkeleton")!;
            dynamic skeleton = type.GetMethod("Open", Type.EmptyTypes)!.Invoke(null, null)!;
            using var disposable = (IDisposable)skeleton;
            KernelRefusals.LeaveOut((BpfObject)skeleton.Object);

            Assert.Equal(7UL, (ulong)skeleton.ArenaGlobals.ArenaCounter);
            skeleton.ArenaGlobals.ArenaCounter = 40UL;
            skeleton.Load();
            ((BpfProgram)skeleton.Programs.ArenaGlobal).TestRun();
            Assert.Equal(41UL, (ulong)skeleton.Bss.ArenaCounterSeen);
            Assert.Equal(41UL, (ulong)skeleton.ArenaGlobals.ArenaCounter);
        }

        internal static void TransferOverLoopback(string congestionControl, int bytes)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.SetRawSocketOption(IpProtoTcp, TcpCongestion, Encoding.ASCII.GetBytes(congestionControl));
            client.Connect(listener.LocalEndPoint!);
            using var server = listener.Accept();
            var reader = System.Threading.Tasks.Task.Run(() =>
            {
                var buffer = new byte[65536];
                var total = 0;
                while (total < bytes)
                {
                    var n = server.Receive(buffer);
                    if (n == 0) break;
                    total += n;
                }
            });
            var chunk = new byte[65536];
            for (var sent = 0; sent < bytes; sent += chunk.Length) client.Send(chunk);
            Assert.True(reader.Wait(TimeSpan.FromSeconds(30)), "loopback transfer timed out");
        }

    }
}
