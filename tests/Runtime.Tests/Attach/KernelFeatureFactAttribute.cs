using System;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>
/// A kernel test that runs only where the named <see cref="FeatureProbes"/> property says the kernel has
/// the feature; elsewhere it is skipped with the probe's reason (e.g. "kprobe PMU not available: CONFIG_KPROBES is off").
/// </summary>
public sealed class KernelFeatureFactAttribute : FactAttribute
{
    public KernelFeatureFactAttribute(string probe)
    {
        var property = typeof(FeatureProbes).GetProperty(probe) ?? throw new ArgumentException($"no feature probe '{probe}'", nameof(probe));
        var result = (ProbeResult)property.GetValue(null)!;
        if (!result.Supported)
            Skip = result.Reason;
    }
}
