using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    public static partial class FeatureProbes
    {
        private static ProbeBox? s_signableLoaders, s_signedPrograms;

        /// <summary>
        /// What a signable light skeleton loader needs (Linux 6.18): a map exclusive to one program
        /// (<c>excl_prog_hash</c>), and a program that reads that map's SHA-256 and exclusivity (<c>map->sha</c>,
        /// <c>map->excl</c>, the latter since the fix that lets a loader refuse a shared map).
        /// </summary>
        public static ProbeResult SignableLoaders => Cached(ref s_signableLoaders, () =>
        {
            const string what = "signable light skeleton loaders";
            using var map = new BpfFileDescriptor();
            int created = BpfMap.CreateFd(new BpfMapCreateOptions
            {
                Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, ExclusiveProgramHash = SHA256.HashData(MemoryMarshal.AsBytes(HashReader.AsSpan())),
            }, map);
            if (created < 0)
                return ProbeResult.No(what, $"no exclusive maps: BPF_MAP_CREATE with excl_prog_hash failed with {Errno.Name(-created)}");
            int loaded = BpfProgramHandle.ProbeLoad(HashReaderLoad(map), withLog: true, out string log);
            return loaded >= 0 ? ProbeResult.Yes(what)
                : ProbeResult.No(what, $"a program reading its exclusive map's SHA-256 and map->excl is refused ({Errno.Name(-loaded)}{FirstVerifierComplaint(log)})");
        });

        /// <summary>
        /// BPF program signatures verified by the kernel (Linux 6.18 <c>BPF_PROG_LOAD</c> <c>signature</c>,
        /// <c>keyring_id</c>): a junk signature checked against the built-in keys must be refused as a malformed
        /// signature. A kernel built without CONFIG_SYSTEM_DATA_VERIFICATION answers EOPNOTSUPP to every signature.
        /// </summary>
        public static ProbeResult SignedPrograms => Cached(ref s_signedPrograms, () =>
        {
            const string what = "BPF program signatures";
            if (!SignableLoaders.Supported)
                return ProbeResult.No(what, SignableLoaders.Reason);
            var options = new BpfProgramLoadOptions { Type = BpfProgramType.Syscall, Instructions = Insn.ReturnZero, Signature = new byte[] { 0x30, 0x0e, 0, 0 }, KeyringId = 0 };
            int signed = BpfProgramHandle.ProbeLoad(options, withLog: false, out _);
            if (signed >= 0)
                return ProbeResult.No(what, "a junk signature was accepted: the kernel ignores BPF_PROG_LOAD's signature field");
            return -signed switch
            {
                Errno.E2BIG => ProbeResult.No(what, "BPF_PROG_LOAD has no signature field (E2BIG)"),
                Errno.EOPNOTSUPP => ProbeResult.No(what, "the kernel cannot verify PKCS#7 signatures (EOPNOTSUPP: built without CONFIG_SYSTEM_DATA_VERIFICATION)"),
                _ => ProbeResult.Yes(what),
            };
        });

        /// <summary>Reads map->excl and map->sha of the map at fd_array[0] (the loader's hash check, in small).</summary>
        private static readonly ulong[] HashReader =
        {
            Insn.Encode(0x18, Insn.R1, PseudoMapIndex, 0, 0), Insn.Encode(0, 0, 0, 0, 0),
            Insn.Encode(0x61, Insn.R2, Insn.R1, 32, 0), // r2 = *(u32 *)(map + 32): map->excl
            Insn.Encode(0x79, Insn.R2, Insn.R1, 0, 0),  // r2 = *(u64 *)(map + 0): map->sha
            Insn.Mov64Imm(Insn.R0, 0),
            Insn.Exit(),
        };

        private static BpfProgramLoadOptions HashReaderLoad(BpfFileDescriptor map) => new()
        {
            Type = BpfProgramType.Syscall,
            Flags = BpfProgramLoadFlags.Sleepable,
            Instructions = HashReader,
            FdArray = new[] { map.DangerousGetFd() },
        };

        /// <summary>": " and the verifier's first line that is not an instruction or the statistics, or "" for none.</summary>
        private static string FirstVerifierComplaint(string log)
        {
            foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (!char.IsDigit(line[0]) && !line.StartsWith("processed", StringComparison.Ordinal))
                    return ": " + line;
            return "";
        }

        private const byte PseudoMapIndex = 5; // BPF_PSEUDO_MAP_IDX: the map at fd_array[imm]
    }
}
