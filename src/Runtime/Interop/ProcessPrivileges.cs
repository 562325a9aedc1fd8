using System;
using System.Globalization;
using System.IO;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// Whether this process holds the privileges bpf() checks, read when an EPERM needs explaining: a root
    /// process whose capabilities were dropped (a container, setpriv) is refused for lack of privilege,
    /// one that holds them is refused by the kernel's policy.
    /// </summary>
    internal static class ProcessPrivileges
    {
        private const int CapSysAdmin = 21;
        private const int CapBpf = 39;

        /// <summary>True for root holding CAP_SYS_ADMIN or CAP_BPF in its effective set.</summary>
        internal static bool IsPrivilegedRoot() => Libc.GetEffectiveUserId() == 0 && HasBpfCapability();

        /// <summary>True for root whose effective set lacks both CAP_SYS_ADMIN and CAP_BPF.</summary>
        internal static bool IsRootWithoutBpfCapability() => Libc.GetEffectiveUserId() == 0 && !HasBpfCapability();

        private static bool HasBpfCapability()
        {
            ulong effective = EffectiveCapabilities();
            return (effective & (1UL << CapSysAdmin | 1UL << CapBpf)) != 0;
        }

        /// <summary>The CapEff mask from /proc/self/status; all bits set when it cannot be read (assume privileged).</summary>
        private static ulong EffectiveCapabilities()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                    if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                        && ulong.TryParse(line.AsSpan("CapEff:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
                        return mask;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            return ulong.MaxValue;
        }
    }
}
