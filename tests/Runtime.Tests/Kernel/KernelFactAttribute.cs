using System;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// A test that runs against the real kernel and needs root. It never skips: without root or bpf()
/// it fails with the kernel's error, which is what a missing privilege should do.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
}

/// <summary>Kernel tests share process-wide state (fd table, object ids), so they run one at a time.</summary>
[CollectionDefinition("Kernel", DisableParallelization = true)]
public sealed class KernelCollection
{
}

/// <summary>A theory against the real kernel as root; like <see cref="KernelFactAttribute"/>, it never skips.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
}
