using System.IO;
using System.Linq;
using BpfSkeleton.Generator.Tests.Infrastructure;
using BpfSkeleton.Generator.Tests.Snapshots;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>Generated source and diagnostics for the committed golden objects, against checked-in baselines.</summary>
    public sealed class BaselineTests
    {
        [Theory]
        [InlineData("golden_types.bpf.o")]
        [InlineData("golden_ops.bpf.o")]
        public void GeneratedSourceMatchesBaseline(string objectName)
        {
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(GeneratorHarness.GoldenObject(objectName)));

            Assert.Null(result.Exception);
            var source = Assert.Single(result.GeneratedSources);
            Snapshot.Match(Path.GetFileNameWithoutExtension(objectName) + ".g.cs.txt", source.SourceText.ToString());
            Snapshot.Match(Path.GetFileNameWithoutExtension(objectName) + ".diagnostics.txt",
                string.Join("\n", result.Diagnostics.Select(d => $"{d.Id} {d.Severity}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")) + "\n");
        }
    }
}
