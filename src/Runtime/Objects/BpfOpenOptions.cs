using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;
using BpfSkeleton.Logging;

namespace BpfSkeleton
{
    /// <summary>Options for <see cref="BpfObject.Open(string, BpfOpenOptions?)"/>.</summary>
    public sealed class BpfOpenOptions : ILoadOptions
    {
        /// <summary>Overrides the object name libbpf would derive from the file name (used for internal map names).</summary>
        public string? ObjectName { get; set; }

        /// <summary>
        /// A BTF file to use as the target kernel's types for CO-RE and struct_ops matching instead of
        /// /sys/kernel/btf/vmlinux (libbpf's btf_custom_path).
        /// </summary>
        public string? KernelBtfPath { get; set; }

        /// <summary>Directory where maps with <c>LIBBPF_PIN_BY_NAME</c> are pinned; default /sys/fs/bpf.</summary>
        public string PinRoot { get; set; } = "/sys/fs/bpf";

        /// <summary>
        /// Kconfig values in .config form (<c>CONFIG_HZ=250</c>, one per line; blank lines and <c>#</c> comments
        /// ignored) that <c>__kconfig</c> externs take before the running kernel's configuration (libbpf's
        /// kconfig open option): an object loads where /proc/config.gz is missing, or sees a value of choice.
        /// </summary>
        public string? KernelConfig { get; set; }

        /// <summary>
        /// Where this object's load logs (probes, kernel BTF, BTF fixups, CO-RE relocations, maps, programs, the
        /// verifier's log of a refused program) instead of <see cref="BpfLogging.Logger"/>; null to use that.
        /// </summary>
        public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

        /// <summary>Level of the verifier log a program's failed load is repeated with to explain it: 1 (default) or 2 (every instruction's state).</summary>
        public uint VerifierLogLevel { get; set; } = 1;

        /// <summary>
        /// The keyring a light skeleton's signed loader is verified against (<c>BPF_PROG_LOAD</c>'s
        /// <c>keyring_id</c>), which also demands a signature. Null (default): no verification is asked for, and a
        /// signed loader loads as an unsigned one does (its map still exclusive to it and checked by its hash). A
        /// value demands a signed loader (an unsigned one fails with <see cref="BpfLoaderSignatureException"/>) and
        /// names the keyring: a keyring's serial (as <c>add_key</c> or <c>keyctl newring</c> return it), a special
        /// keyring of the process (-1 thread, -2 process, -3 session, -4 user, -5 user session), or a system keyring
        /// (0 built-in trusted keys, 1 built-in and secondary, 2 platform). Needs Linux 6.18 built with
        /// CONFIG_SYSTEM_DATA_VERIFICATION (<see cref="FeatureProbes.SignedPrograms"/>).
        /// </summary>
        public int? LoaderKeyring { get; set; }

        /// <summary>
        /// Treat the kernel as having no BPF cookies (before Linux 5.15) even when it has them: tests use it
        /// to drive usdt.bpf.h's address-lookup path, the only one such kernels take, on this kernel.
        /// </summary>
        internal bool AssumeNoBpfCookies { get; set; }
    }
}
