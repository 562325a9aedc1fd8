using System;
using System.Collections.Generic;
using BpfSkeleton.KernelFacts;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// A test that runs against the real kernel and needs root. It never skips for lack of root: without root
/// or bpf() it fails with the kernel's error, which is what a missing privilege should do. It is skipped only
/// where the running kernel lacks one of its <see cref="KernelNeeds">needs</see>, with the probe's reason.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
    /// <param name="needs">Kernel features the test needs; see <see cref="KernelNeeds.MissingReason"/>.</param>
    public KernelFactAttribute(params object[] needs)
    {
        if (KernelNeeds.MissingReason(needs) is { } reason)
            Skip = reason;
    }
}

/// <summary>A theory against the real kernel as root; like <see cref="KernelFactAttribute"/>, skipped only on a probe.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    /// <param name="needs">Kernel features the theory needs; see <see cref="KernelNeeds.MissingReason"/>.</param>
    public KernelTheoryAttribute(params object[] needs)
    {
        if (KernelNeeds.MissingReason(needs) is { } reason)
            Skip = reason;
    }
}

/// <summary>Kernel tests share process-wide state (fd table, object ids), so they run one at a time.</summary>
[CollectionDefinition("Kernel", DisableParallelization = true)]
public sealed class KernelCollection
{
}

/// <summary>
/// What a kernel test needs, asked of the runtime's own probes (the ones its loader uses), so a test is
/// skipped exactly where the loader would find the feature missing.
/// </summary>
public static class KernelNeeds
{
    /// <summary>A struct_ops need: the kernel struct (e.g. "tcp_congestion_ops") whose struct_ops maps the test creates.</summary>
    public const string StructOpsPrefix = "struct_ops:";

    /// <summary>struct_ops maps for TCP congestion controls.</summary>
    public const string TcpCongestionOps = StructOpsPrefix + "tcp_congestion_ops";

    /// <summary>struct_ops maps for the kernel's test struct (bpf_dummy_ops), run with BPF_PROG_TEST_RUN.</summary>
    public const string DummyOps = StructOpsPrefix + "bpf_dummy_ops";

    /// <summary>A throwaway RSA certificate can be placed in a fresh keyring of this process (<see cref="TestKeyring.Probe"/>).</summary>
    public const string TestRsaKeyring = "test-keyring:rsa";

    /// <summary>A throwaway ECDSA P-256 certificate can be placed in a fresh keyring of this process.</summary>
    public const string TestEcdsaKeyring = "test-keyring:ecdsa";

    /// <summary>
    /// The probes' reasons for every need the kernel lacks, or null when it has them all. A need is a
    /// <see cref="BpfMapType"/>, a <see cref="BpfProgramType"/>, <c>"struct_ops:&lt;kernel struct&gt;"</c>, or
    /// the name of a <see cref="FeatureProbes"/> property (<c>nameof(FeatureProbes.KprobePmu)</c>).
    /// </summary>
    public static string? MissingReason(IEnumerable<object> needs)
    {
        List<string>? missing = null;
        foreach (var need in needs)
        {
            ProbeResult result = Probe(need);
            if (!result.Supported)
                (missing ??= new List<string>()).Add(result.Reason);
        }
        return missing is null ? null : string.Join("; ", missing);
    }

    /// <summary>The runtime probe that answers <paramref name="need"/>.</summary>
    public static ProbeResult Probe(object need) => need switch
    {
        BpfMapType mapType => FeatureProbes.MapType(mapType),
        BpfProgramType programType => FeatureProbes.ProgramType(programType),
        TestRsaKeyring => TestKeyring.Probe(TestSigningKey.Algorithm.Rsa),
        TestEcdsaKeyring => TestKeyring.Probe(TestSigningKey.Algorithm.EcdsaP256),
        string structOps when structOps.StartsWith(StructOpsPrefix, StringComparison.Ordinal)
            => FeatureProbes.StructOps(structOps.Substring(StructOpsPrefix.Length)),
        string probe => (ProbeResult)(typeof(FeatureProbes).GetProperty(probe)
            ?? throw new ArgumentException($"no feature probe '{probe}'", nameof(need))).GetValue(null)!,
        _ => throw new ArgumentException($"not a kernel need: {need}", nameof(need)),
    };
}
