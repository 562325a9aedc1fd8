using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    public static partial class FeatureProbes
    {
        private static ProbeBox? s_signedPrograms;

        /// <summary>
        /// BPF program signatures as a signed light skeleton loader uses them (Linux 6.18): a map exclusive to one
        /// program (<c>excl_prog_hash</c>), a program that reads that map's SHA-256 and exclusivity
        /// (<c>map->sha</c>, <c>map->excl</c>), and <c>BPF_PROG_LOAD</c>'s <c>signature</c>/<c>keyring_id</c> fields
        /// (a junk signature must be refused as a signature, not as an unknown attr field).
        /// </summary>
        public static ProbeResult SignedPrograms => Cached(ref s_signedPrograms, () =>
        {
            const string what = "BPF program signatures";
            var (first, second) = Insn.LoadImm64(Insn.R1, PseudoMapIndex, 0, 0);
            ulong[] program =
            {
                first, second,
                Insn.Encode(0x61, Insn.R2, Insn.R1, 32, 0), // r2 = *(u32 *)(map + 32): map->excl
                Insn.Encode(0x79, Insn.R2, Insn.R1, 0, 0),  // r2 = *(u64 *)(map + 0): map->sha
                Insn.Mov64Imm(Insn.R0, 0),
                Insn.Exit(),
            };
            var hash = SHA256.HashData(MemoryMarshal.AsBytes(program.AsSpan()));
            using var map = new BpfFileDescriptor();
            int created = BpfMap.CreateFd(new BpfMapCreateOptions
            {
                Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, ExclusiveProgramHash = hash,
            }, map);
            if (created < 0)
                return ProbeResult.No(what, $"no exclusive maps: BPF_MAP_CREATE with excl_prog_hash failed with {Errno.Name(-created)}");
            var options = new BpfProgramLoadOptions
            {
                Type = BpfProgramType.Syscall,
                Flags = BpfProgramLoadFlags.Sleepable,
                Instructions = program,
                FdArray = new[] { map.DangerousGetFd() },
            };
            int loaded = BpfProgramHandle.ProbeLoad(options, withLog: true, out string log);
            if (loaded < 0)
                return ProbeResult.No(what, $"a program reading its exclusive map's SHA-256 and map->excl is refused ({Errno.Name(-loaded)}{FirstVerifierComplaint(log)})");
            options.Signature = new byte[16];
            int signed = BpfProgramHandle.ProbeLoad(options, withLog: false, out _);
            if (signed >= 0)
                return ProbeResult.No(what, "a junk signature was accepted: the kernel ignores BPF_PROG_LOAD's signature field");
            if (-signed == Errno.E2BIG)
                return ProbeResult.No(what, "BPF_PROG_LOAD has no signature field (E2BIG)");
            return ProbeResult.Yes(what);
        });

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
