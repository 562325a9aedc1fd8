using System;
using System.Globalization;
using System.IO;

namespace BpfSkeleton.Interop
{
    /// <summary>Who this process is to bpf(), as far as an EPERM needs explaining.</summary>
    internal enum Privilege
    {
        /// <summary>Not root: a missing privilege is the likely cause.</summary>
        NotRoot,
        /// <summary>Root without CAP_BPF and CAP_SYS_ADMIN (a container, setpriv): still a missing privilege.</summary>
        RootWithoutBpfCapability,
        /// <summary>Root holding CAP_BPF or CAP_SYS_ADMIN: a refusal is the kernel's policy.</summary>
        PrivilegedRoot,
    }

    /// <summary>
    /// Whether this process holds the privileges bpf() checks, read when an EPERM needs explaining: a root
    /// process whose capabilities were dropped is refused for lack of privilege, one that holds them is refused
    /// by the kernel's policy.
    /// </summary>
    internal static class ProcessPrivileges
    {
        private const int CapSysAdmin = 21;
        private const int CapBpf = 39;

        internal static Privilege Current()
        {
            if (Libc.GetEffectiveUserId() != 0) return Privilege.NotRoot;
            return (EffectiveCapabilities() & (1UL << CapSysAdmin | 1UL << CapBpf)) != 0
                ? Privilege.PrivilegedRoot
                : Privilege.RootWithoutBpfCapability;
        }

        /// <summary>True for root holding CAP_SYS_ADMIN or CAP_BPF in its effective set.</summary>
        internal static bool IsPrivilegedRoot() => Current() == Privilege.PrivilegedRoot;

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
