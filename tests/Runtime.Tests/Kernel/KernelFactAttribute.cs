using System;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// A test that needs the real kernel as root. Outside CI it is skipped when not root; under CI=true it
/// runs regardless, so a missing privilege is a failure rather than a silent skip.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!KernelEnvironment.IsRoot && !KernelEnvironment.IsCi)
            Skip = "needs root and bpf() (set CI=true to make this a failure)";
    }
}

public static class KernelEnvironment
{
    public static bool IsRoot => Environment.UserName == "root" || GetEuid() == 0;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}

/// <summary>Kernel tests share process-wide state (fd table, object ids), so they run one at a time.</summary>
[CollectionDefinition("Kernel", DisableParallelization = true)]
public sealed class KernelCollection
{
}

/// <summary>A theory that needs the real kernel as root; skipped and failing like <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        if (!KernelEnvironment.IsRoot && !KernelEnvironment.IsCi)
            Skip = "needs root and bpf() (set CI=true to make this a failure)";
    }
}
