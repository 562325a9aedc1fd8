using BpfSkeleton.Generator.Tests.Snapshots;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>A baseline mismatch is reported as a line diff with context, not only its first line.</summary>
    public sealed class SnapshotDiffTests
    {
        [Fact]
        public void ChangedLinesAppearWithContextAndTheirBaselineLine()
        {
            var expected = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
            var actual = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n";
            var diff = Snapshot.LineDiff(expected, actual);
            // Two changes whose contexts touch: one hunk, from three lines before the first to the end.
            Assert.Equal("@@ baseline line 2 @@\n  b\n  c\n  d\n- e\n+ E\n  f\n  g\n  h\n  i\n  j\n+ k\n", diff);
        }
    }
}
