using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Generator.Tests.Infrastructure;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Light;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>
    /// Light skeletons: the loader the build records (bpfsk gen-loader) embedded by the generator, with the same
    /// typed surface as a regular skeleton; Load() runs it in the kernel.
    /// </summary>
    [Collection("Kernel")]
    public sealed class LightSkeletonTests
    {
        private static string Loader(string path)
        {
            using var obj = BpfObject.Open(path);
            return Convert.ToBase64String(obj.RecordLoader().ToBytes());
        }

        [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
        public void ALightTcpCongestionSkeletonTakesShadowEditsAndRegisters()
        {
            var path = GeneratorHarness.TestObject("tcp_cc.bpf.o");
            var assembly = CompileTests.CompileSkeleton(path, out var source, GeneratorHarness.EncodeLoader(path, Loader(path)));
            Assert.Contains("BpfLoaderImage.FromBytes(global::System.Convert.FromBase64String(LoaderBase64))", source);
            var type = assembly.GetType("Test.Skeletons.TcpCcSkeleton")!;
            Assert.True((bool)type.GetProperty("IsLight")!.GetValue(null)!);
            dynamic skeleton = type.GetMethod("Open", Type.EmptyTypes)!.Invoke(null, null)!;
            using (var disposable = (IDisposable)skeleton)
            {
                // As recorded: every default map is created; each gets a name of its own.
                skeleton.StructOps.PlainCc.Name = TestCongestionNames.For("bpfsk_lgen");
                skeleton.StructOps.LinkCc.Name = TestCongestionNames.For("bpfsk_lgenl");
                skeleton.StructOps.LinkCcAlt.Name = TestCongestionNames.For("bpfsk_lgena");
                skeleton.StructOps.PlainCc.CongAvoid = skeleton.Programs.CcCongAvoidAlt;
                skeleton.Load();
                skeleton.Attach();
                var available = File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control");
                Assert.Contains(TestCongestionNames.For("bpfsk_lgen") + " ", available + " ");
                Assert.Contains(TestCongestionNames.For("bpfsk_lgenl"), available);
                KernelEndToEndTests.TransferOverLoopback(TestCongestionNames.For("bpfsk_lgen"), 4 << 20);
                Assert.True((ulong)skeleton.Bss.CongAvoidAltCalls > 0, "the swapped-in cong_avoid program never ran");
            }
            Assert.DoesNotContain(TestCongestionNames.For("bpfsk_lgen"), File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control"));
        }

        [Fact]
        public void AnUnreadableLoaderIsADiagnosticAndTheSkeletonStillCompiles()
        {
            var path = GeneratorHarness.TestObject("globals.bpf.o");
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(path), GeneratorHarness.EncodeLoader(path, "not base64 at all!"));
            Assert.Null(result.Exception);
            var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "BPFSK020");
            Assert.Contains("globals.bpf.o.bpfloader.txt", diagnostic.GetMessage());
            var source = Assert.Single(result.GeneratedSources).SourceText.ToString();
            Assert.Contains("public static bool IsLight => false;", source);
            Assert.Empty(GeneratorHarness.Compilation(source).GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        }
    }
}
