using System;
using System.IO;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>
/// A kernel test that needs netkit devices. The probe asks the kernel for one (`ip link add type netkit`
/// in a scratch namespace); where the device type is missing (CONFIG_NETKIT off) the test is skipped
/// with the kernel's answer. Any other failure of the probe is not a skip: the test runs and reports it.
/// </summary>
public sealed class NetkitFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> MissingReason = new(Probe);

    public NetkitFactAttribute()
    {
        if (MissingReason.Value is { } reason)
            Skip = reason;
    }

    private static string? Probe()
    {
        try
        {
            using var ns = NetworkNamespace.Create("nkprobe");
            try
            {
                ns.Ip("link add nkprobe0 type netkit");
                return null;
            }
            catch (IOException e) when (e.Message.Contains("Unknown device type", StringComparison.Ordinal))
            {
                return $"this kernel has no netkit devices (CONFIG_NETKIT is off): {e.Message.Trim()}";
            }
        }
        catch (Exception)
        {
            return null; // not root, no ip(8)…: let the test run and fail with the real error
        }
    }
}
