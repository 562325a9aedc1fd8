using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>Generated skeletons compile against the runtime with nullable on and every warning an error.</summary>
    public sealed class CompileTests
    {
        public static TheoryData<string> Objects => new TheoryData<string>
        {
            GeneratorHarness.GoldenObject("golden_types.bpf.o"),
            GeneratorHarness.GoldenObject("golden_ops.bpf.o"),
            GeneratorHarness.TestObject("tcp_cc.bpf.o"),
            GeneratorHarness.TestObject("globals.bpf.o"),
            GeneratorHarness.TestObject("dummy_ops.bpf.o"),
            GeneratorHarness.TestObject("map_types.bpf.o"),
            GeneratorHarness.TestObject("zero_size_key.bpf.o"), // a map key of size 0
            GeneratorHarness.TestObject("ksym_forward.bpf.o"), // a ksym of a forward-declared type
            GeneratorHarness.TestObject("tracing_sessions.bpf.o"), // fsession and tracing multi sections
            GeneratorHarness.TestObject("legacy_maps.bpf.o"), // struct bpf_map_def in SEC("maps")
            GeneratorHarness.TestObject("legacy_elf_maps.bpf.o"), // iproute2's struct bpf_elf_map in SEC("maps")
        };

        [Theory]
        [MemberData(nameof(Objects))]
        public void SkeletonCompilesWithoutWarnings(string path)
        {
            var assembly = CompileSkeleton(path, out _);
            Assert.NotNull(assembly);
        }

        /// <summary>As bpftool: __hidden globals are not exposed, and a section of only static variables gets no view.</summary>
        [Fact]
        public void HiddenAndStaticOnlyGlobalsAreNotExposed()
        {
            var assembly = CompileSkeleton(GeneratorHarness.TestObject("hidden_globals.bpf.o"), out var source);
            var skeleton = assembly.GetType("Test.Skeletons.HiddenGlobalsSkeleton")!;
            var data = skeleton.GetProperty("Data")!.PropertyType;
            Assert.NotNull(data.GetProperty("VisibleCounter"));
            Assert.Null(data.GetProperty("HiddenCounter"));
            Assert.Null(skeleton.GetProperty("DataPrivate"));
            Assert.DoesNotContain("only_static", source);
        }

        /// <summary>Legacy SEC("maps") definitions are maps of the skeleton (they were left out before).</summary>
        [Fact]
        public void LegacyMapDefinitionsAreExposedAsMaps()
        {
            var assembly = CompileSkeleton(GeneratorHarness.TestObject("legacy_maps.bpf.o"), out _);
            var maps = assembly.GetType("Test.Skeletons.LegacyMapsSkeleton")!.GetProperty("Maps")!.PropertyType;
            Assert.NotNull(maps.GetProperty("LegacyCounts"));
            Assert.NotNull(maps.GetProperty("LegacyTable"));
        }

        [Fact]
        public void GeneratedStructsHaveTheirBtfSizes()
        {
            var assembly = CompileSkeleton(GeneratorHarness.GoldenObject("golden_types.bpf.o"), out _);
            var skeleton = assembly.GetType("Test.Skeletons.GoldenTypesSkeleton")!;

            Assert.Equal(160, SizeOf(skeleton.GetNestedType("Record")!));
            Assert.Equal(4, SizeOf(skeleton.GetNestedType("Inner")!));
            Assert.Equal(16, SizeOf(skeleton.GetNestedType("Address")!));
            Assert.Equal(8, SizeOf(skeleton.GetNestedType("Flags")!));
            Assert.Equal(typeof(byte), Enum.GetUnderlyingType(skeleton.GetNestedType("Small")!));
        }

        [Fact]
        public void BitfieldsRoundTripWithoutTouchingNeighbours()
        {
            var assembly = CompileSkeleton(GeneratorHarness.GoldenObject("golden_types.bpf.o"), out _);
            var flagsType = assembly.GetType("Test.Skeletons.GoldenTypesSkeleton")!.GetNestedType("Flags")!;
            object flags = Activator.CreateInstance(flagsType)!;

            Set(ref flags, "Mode", 5u);
            Set(ref flags, "Offset", -3);
            Set(ref flags, "Wide", 0xABCDEF0123UL);
            Set(ref flags, "Enabled", 1u);

            Assert.Equal(5u, Get(flags, "Mode"));
            Assert.Equal(-3, Get(flags, "Offset"));
            Assert.Equal(0xABCDEF0123UL, Get(flags, "Wide"));
            Assert.Equal(1u, Get(flags, "Enabled"));
            // C layout (little-endian): enabled bit 0, mode bits 1-3, offset bits 4-15, level 16-19, wide 20-59.
            var raw = BitConverter.ToUInt64(Bytes(flags));
            Assert.Equal(1UL | (5UL << 1) | ((ulong)(0xFFD) << 4) | (0xABCDEF0123UL << 20), raw);
        }

        internal static Assembly CompileSkeleton(string path, out string source, params EncodedObject[] others)
        {
            var inputs = new EncodedObject[others.Length + 1];
            inputs[0] = GeneratorHarness.EncodeFile(path);
            others.CopyTo(inputs, 1);
            var result = GeneratorHarness.Run(inputs);
            Assert.Null(result.Exception);
            Assert.DoesNotContain(result.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
            source = Assert.Single(result.GeneratedSources).SourceText.ToString();

            var compilation = GeneratorHarness.Compilation(source);
            var diagnostics = compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
            Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics.Take(20)));

            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream);
            Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Take(20)));
            return Assembly.Load(stream.ToArray());
        }

        private static int SizeOf(Type type)
            => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;

        private static object Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target)!;

        private static void Set(ref object boxed, string property, object value) => boxed.GetType().GetProperty(property)!.SetValue(boxed, value);

        private static byte[] Bytes(object boxed)
        {
            var size = SizeOf(boxed.GetType());
            var bytes = new byte[size];
            var handle = System.Runtime.InteropServices.GCHandle.Alloc(boxed, System.Runtime.InteropServices.GCHandleType.Pinned);
            try { System.Runtime.InteropServices.Marshal.Copy(handle.AddrOfPinnedObject(), bytes, 0, size); }
            finally { handle.Free(); }
            return bytes;
        }
    }
}
