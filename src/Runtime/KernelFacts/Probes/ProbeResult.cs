using BpfSkeleton.Interop;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>The outcome of a feature probe: whether the kernel has the feature, and why (usable as a test skip reason).</summary>
    public readonly record struct ProbeResult(bool Supported, string Reason)
    {
        internal static ProbeResult Yes(string what) => new(true, $"{what}: supported");

        internal static ProbeResult No(string what, int errno)
            => errno == Interop.Errno.EPERM && Interop.ProcessPrivileges.IsPrivilegedRoot()
                ? new(false, $"{what}: not supported (EPERM: refused although running as root; lockdown, an LSM or a kernel policy)")
                : new(false, $"{what}: not supported ({Interop.Errno.Name(errno)}: {BpfErrors.Description(errno)})");

        internal static ProbeResult No(string what, string why) => new(false, $"{what}: not supported ({why})");

        internal static ProbeResult FromErrno(string what, int result) => result >= 0 ? Yes(what) : No(what, -result);

        /// <summary>The <see cref="Reason"/>, e.g. "BTF func: supported".</summary>
        public override string ToString() => Reason;
    }
}
