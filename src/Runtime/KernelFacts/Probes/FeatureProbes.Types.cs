using System;
using System.Threading;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    public static partial class FeatureProbes
    {
        // Indexed by type; a type number beyond them (newer than this code) is probed each time it is asked.
        private static readonly ProbeBox?[] s_mapTypes = new ProbeBox?[64];
        private static readonly ProbeBox?[] s_programTypes = new ProbeBox?[64];

        /// <summary>Whether maps of <paramref name="type"/> can be created (a minimal map of that type is tried).</summary>
        public static ProbeResult MapType(BpfMapType type)
            => (uint)type < (uint)s_mapTypes.Length
                ? (Volatile.Read(ref s_mapTypes[(int)type]) ?? Publish(ref s_mapTypes[(int)type], ProbeMapType(type))).Value
                : ProbeMapType(type);

        /// <summary>Whether programs of <paramref name="type"/> can be loaded (a minimal "return 0" program is tried).</summary>
        public static ProbeResult ProgramType(BpfProgramType type)
            => (uint)type < (uint)s_programTypes.Length
                ? (Volatile.Read(ref s_programTypes[(int)type]) ?? Publish(ref s_programTypes[(int)type], ProbeProgramType(type))).Value
                : ProbeProgramType(type);

        private static ProbeResult ProbeMapType(BpfMapType type)
        {
            string what = $"map type {type}";
            var options = new BpfMapCreateOptions { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 1 };
            switch (type)
            {
                case BpfMapType.Unspec:
                    return ProbeResult.No(what, "not a map type");
                case BpfMapType.StackTrace:
                    options.ValueSize = 8; // an array of u64 instruction pointers
                    break;
                case BpfMapType.LpmTrie:
                    (options.KeySize, options.ValueSize, options.Flags) = (8, 8, BpfMapFlags.NoPrealloc);
                    break;
                case BpfMapType.Queue:
                case BpfMapType.Stack:
                case BpfMapType.BloomFilter:
                    options.KeySize = 0;
                    break;
                case BpfMapType.Ringbuf:
                case BpfMapType.UserRingbuf:
                    (options.KeySize, options.ValueSize, options.MaxEntries) = (0, 0, (uint)Environment.SystemPageSize);
                    break;
                case BpfMapType.Arena:
                    (options.KeySize, options.ValueSize, options.Flags) = (0, 0, BpfMapFlags.Mmapable);
                    break;
                case BpfMapType.CgroupStorage:
                case BpfMapType.PerCpuCgroupStorage:
                    (options.KeySize, options.ValueSize, options.MaxEntries) = (16, 8, 0); // struct bpf_cgroup_storage_key
                    break;
                case BpfMapType.ArrayOfMaps:
                case BpfMapType.HashOfMaps:
                    return ProbeMapOfMaps(what, options);
                case BpfMapType.SkStorage:
                case BpfMapType.InodeStorage:
                case BpfMapType.TaskStorage:
                case BpfMapType.CgrpStorage:
                    return ProbeStorageMap(what, options);
                case BpfMapType.StructOps:
                    return ProbeResult.No(what, "cannot be probed without a kernel struct_ops value type");
            }
            return ProbeMap(what, options);
        }

        private static ProbeResult ProbeMapOfMaps(string what, BpfMapCreateOptions options)
        {
            using var inner = new BpfFileDescriptor();
            if (!TryCreateArray(what, valueSize: 4, inner, out var noInner))
                return noInner;
            using var innerMap = BpfMap.FromFd(inner);
            options.InnerMap = innerMap;
            return ProbeMap(what, options);
        }

        /// <summary>Local storage maps need BTF for key and value and BPF_F_NO_PREALLOC.</summary>
        private static ProbeResult ProbeStorageMap(string what, BpfMapCreateOptions options)
        {
            if (!TryLoadIntBtf(what, out var btf, out uint integer, out var failure))
                return failure;
            using var owned = btf;
            options.Btf = btf;
            options.BtfKeyTypeId = integer;
            options.BtfValueTypeId = integer;
            options.MaxEntries = 0;
            options.Flags = BpfMapFlags.NoPrealloc;
            return ProbeMap(what, options);
        }

        /// <summary>A BTF object holding just an int, for maps the kernel creates only with their creator's BTF.</summary>
        private static bool TryLoadIntBtf(string what, out BtfHandle btf, out uint intTypeId, out ProbeResult failure)
        {
            var blob = new BtfBlob();
            intTypeId = blob.AddInt();
            var fd = new BpfFileDescriptor();
            int loaded = BtfHandle.LoadFd(blob.ToArray(), fd, null, out _);
            if (loaded < 0)
            {
                fd.Dispose();
                (btf, failure) = (null!, ProbeResult.No(what, $"needs BTF, which failed to load: {Errno.Name(-loaded)}"));
                return false;
            }
            (btf, failure) = (BtfHandle.FromFd(fd), default);
            return true;
        }

        private static ProbeResult ProbeProgramType(BpfProgramType type)
        {
            string what = $"program type {type}";
            BpfAttachType? attachType = type switch
            {
                BpfProgramType.CgroupSockAddr => BpfAttachType.CgroupInet4Connect,
                BpfProgramType.CgroupSockOpt => BpfAttachType.CgroupGetSockOpt,
                BpfProgramType.SkLookup => BpfAttachType.SkLookup,
                BpfProgramType.Netfilter => BpfAttachType.Netfilter,
                _ => null,
            };
            BpfProgramLoadFlags flags = type == BpfProgramType.Syscall ? BpfProgramLoadFlags.Sleepable : BpfProgramLoadFlags.None;
            switch (type)
            {
                case BpfProgramType.Unspec:
                    return ProbeResult.No(what, "not a program type");
                case BpfProgramType.Tracing:
                case BpfProgramType.Ext:
                case BpfProgramType.Lsm:
                case BpfProgramType.StructOps:
                    return ProbeAttachBtfType(what, type);
            }
            return ProbeResult.FromErrno(what, BpfProgramHandle.ProbeLoad(type, Insn.ReturnZero, attachType, flags));
        }

        /// <summary>
        /// Types that need an attach target: load with a bogus target id. A kernel that knows the type
        /// gets as far as checking the target and says so in the log; one that does not fails earlier
        /// with EINVAL and an empty log.
        /// </summary>
        private static ProbeResult ProbeAttachBtfType(string what, BpfProgramType type)
        {
            int result = BpfProgramHandle.ProbeLoad(type, Insn.ReturnZero, null, BpfProgramLoadFlags.None, attachBtfId: 1, withLog: true, out string log);
            if (result >= 0 || log.Length > 0 || result == -Errno.EPERM)
                return result == -Errno.EPERM
                    ? ProbeResult.No(what, Errno.EPERM)
                    : ProbeResult.Yes(what);
            return ProbeResult.No(what, -result);
        }
    }
}
