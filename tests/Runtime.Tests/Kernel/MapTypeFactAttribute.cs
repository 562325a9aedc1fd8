using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>A kernel test that needs a map type: skipped, with the probe's reason, only where the kernel refuses a minimal map of it.</summary>
public sealed class MapTypeFactAttribute : FactAttribute
{
    public MapTypeFactAttribute(BpfMapType type)
    {
        var result = FeatureProbes.MapType(type);
        if (!result.Supported)
            Skip = $"map type {type}: {result.Reason}";
    }
}
