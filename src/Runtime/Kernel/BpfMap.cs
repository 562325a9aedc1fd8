using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// A BPF map: its descriptor plus what the kernel reports about it. Element operations are in the
    /// other partial files; all of them are allocation-free.
    /// </summary>
    public sealed unsafe partial class BpfMap : IDisposable
    {
        private BpfMapInfo? _info;

        private BpfMap(BpfFileDescriptor fd, BpfMapInfo info)
            : this(fd, info.Name, info.Type, info.KeySize, info.ValueSize, info.MaxEntries, info.Flags, info.BtfKeyTypeId, info.BtfValueTypeId)
        {
            _info = info;
        }

        private BpfMap(BpfFileDescriptor fd, string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries,
            BpfMapFlags requestedFlags, uint btfKeyTypeId, uint btfValueTypeId)
        {
            Fd = fd;
            Name = name;
            Type = type;
            KeySize = keySize;
            ValueSize = valueSize;
            MaxEntries = maxEntries;
            RequestedFlags = requestedFlags;
            BtfKeyTypeId = btfKeyTypeId;
            BtfValueTypeId = btfValueTypeId;
            PerCpuValueStride = (int)((valueSize + 7) & ~7u);
        }

        /// <summary>The map's descriptor; owned by this object.</summary>
        public BpfFileDescriptor Fd { get; }

        /// <summary>
        /// The kernel's description of the map, read on first use (a map this process created knows
        /// its definition already, so creating one costs no info call) or when the map was opened.
        /// </summary>
        public BpfMapInfo Info => _info ??= ReadInfo(Fd, $"get info of map '{Name}'");

        /// <summary>The map's name (at most 15 bytes, as the kernel keeps it).</summary>
        public string Name { get; }
        /// <summary>The map's type.</summary>
        public BpfMapType Type { get; }
        /// <summary>Size of a key in bytes (0 for maps without keys: queue, stack, ring buffers).</summary>
        public uint KeySize { get; }
        /// <summary>Size of one value in bytes (for per-CPU maps: one CPU's value; see <see cref="ValueBufferSize"/>).</summary>
        public uint ValueSize { get; }
        /// <summary>The map's capacity in elements (for ring buffers: the ring's size in bytes).</summary>
        public uint MaxEntries { get; }
        /// <summary>The flags as the kernel keeps them, which can differ from those asked for (devmap and cpumap add BPF_F_RDONLY_PROG).</summary>
        public BpfMapFlags Flags => Info.Flags;

        /// <summary>
        /// The flags this process created the map with (the kernel's, for a map it opened): enough for
        /// bits the kernel never changes, such as BPF_F_MMAPABLE, without an info call.
        /// </summary>
        internal BpfMapFlags RequestedFlags { get; }
        /// <summary>The map's kernel-wide id (reads <see cref="Info"/> on first use); stable for the map's lifetime.</summary>
        public uint Id => Info.Id;
        /// <summary>BTF type id of the key in the map's BTF object; 0 when the map has no key type.</summary>
        public uint BtfKeyTypeId { get; }
        /// <summary>BTF type id of the value in the map's BTF object; 0 when the map has no value type.</summary>
        public uint BtfValueTypeId { get; }

        /// <summary>True after <see cref="Freeze"/>: system calls can no longer write the map.</summary>
        public bool IsFrozen { get; private set; }

        /// <summary>Records a freeze made outside this object (by a light skeleton's loader).</summary>
        internal void MarkFrozen() => IsFrozen = true;

        /// <summary>True for maps that hold one value per possible CPU.</summary>
        public bool IsPerCpu => Type is BpfMapType.PerCpuArray or BpfMapType.PerCpuHash
            or BpfMapType.LruPerCpuHash or BpfMapType.PerCpuCgroupStorage;

        /// <summary>Bytes one CPU's value occupies in a per-CPU buffer (value size rounded up to 8).</summary>
        public int PerCpuValueStride { get; }

        /// <summary>Creates a map. On failure nothing is left open.</summary>
        public static BpfMap Create(BpfMapCreateOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var fd = new BpfFileDescriptor();
            int result = CreateFd(options, fd);
            if (result < 0)
            {
                fd.Dispose();
                throw CreateError(options, -result);
            }
            // The definition the kernel accepted (names as sanitized); flags and id are read when first asked for.
            return new BpfMap(fd, ObjectName.Sanitize(options.Name), options.Type, options.KeySize, options.ValueSize,
                options.MaxEntries, options.Flags, options.BtfKeyTypeId, options.BtfValueTypeId);
        }

        /// <summary>Opens the map with the given kernel id.</summary>
        public static BpfMap FromId(uint id)
            => FromOwnedFd(BpfObjects.OpenById(BpfCommand.MapGetFdById, id, "map"), $"open map id {id}");

        /// <summary>Opens a map pinned on a bpffs path.</summary>
        public static BpfMap FromPinned(string path)
            => FromOwnedFd(BpfObjects.OpenPinned(path, "map"), $"open pinned map '{path}'");

        /// <summary>Wraps an existing map descriptor, taking ownership of it.</summary>
        public static BpfMap FromFd(BpfFileDescriptor fd) => FromOwnedFd(fd, "inspect map fd");

        private static BpfMap FromOwnedFd(BpfFileDescriptor fd, string operation)
        {
            try
            {
                return new BpfMap(fd, ReadInfo(fd, operation));
            }
            catch
            {
                fd.Dispose();
                throw;
            }
        }

        /// <summary>Reads the map's current info from the kernel.</summary>
        public BpfMapInfo GetInfo() => ReadInfo(Fd, $"get info of map '{Name}'");

        private static BpfMapInfo ReadInfo(BpfFileDescriptor fd, string operation)
        {
            var native = new MapInfoNative();
            BpfObjects.GetInfo(fd, ref native, operation);
            return BpfMapInfo.From(native);
        }

        /// <summary>
        /// Pins the map at <paramref name="path"/> on a bpffs mount, so it outlives this process.
        /// Throws <see cref="BpfException"/> when the path exists (EEXIST) or is not on bpffs.
        /// </summary>
        public void Pin(string path) => BpfObjects.Pin(Fd, path, $"map '{Name}'");

        /// <summary>Removes a pin (of any map) from bpffs.</summary>
        public static void Unpin(string path) => BpfObjects.Unpin(path, "map");

        /// <summary>Makes the map read-only for system calls (programs can still write unless BPF_F_RDONLY_PROG).</summary>
        public void Freeze()
        {
            using var lease = new FdLease(Fd);
            var attr = new MapElemAttr { MapFd = lease.UFd };
            int result = Sys.Bpf(BpfCommand.MapFreeze, ref attr);
            if (result < 0) BpfErrors.Check(result, $"freeze map '{Name}'");
            IsFrozen = true;
        }

        /// <summary>Closes this process's descriptor; the kernel frees the map once nothing else (pin, program, other fd) holds it.</summary>
        public void Dispose() => Fd.Dispose();

        /// <summary>"map 'name' (Type, id N)" for messages; the id only when already read.</summary>
        public override string ToString() => $"map '{Name}' ({Type}{(_info is null ? "" : $", id {_info.Id}")})";

        /// <summary>BPF_MAP_CREATE into <paramref name="fd"/>. Returns the result or <c>-errno</c>; never throws for kernel errors.</summary>
        internal static int CreateFd(BpfMapCreateOptions options, BpfFileDescriptor fd)
        {
            using var inner = FdLease.Of(options.InnerMap?.Fd);
            using var btf = FdLease.Of(options.Btf?.Fd);
            using var valueTypeBtf = FdLease.Of(options.ValueTypeBtfObject?.Fd);
            var attr = DescribeCreate(options);
            attr.InnerMapFd = inner.UFd;
            attr.BtfFd = btf.UFd;
            attr.ValueTypeBtfObjFd = valueTypeBtf.Fd;
            int result;
            fixed (byte* exclusive = options.ExclusiveProgramHash.Span)
            {
                attr.ExclusiveProgramHash = (ulong)exclusive;
                attr.ExclusiveProgramHashSize = (uint)options.ExclusiveProgramHash.Length;
                result = Sys.Bpf(BpfCommand.MapCreate, ref attr);
            }
            if (result >= 0)
                fd.Adopt(result);
            return result;
        }

        /// <summary>
        /// The BPF_MAP_CREATE attr's values that come from the options alone (every field but the fds): the live
        /// create adds this process's fds, the light skeleton's recorder has its loader add them.
        /// </summary>
        internal static MapCreateAttr DescribeCreate(BpfMapCreateOptions options)
        {
            var attr = new MapCreateAttr
            {
                MapType = (uint)options.Type,
                KeySize = options.KeySize,
                ValueSize = options.ValueSize,
                MaxEntries = options.MaxEntries,
                MapFlags = (uint)options.Flags | (options.ValueTypeBtfObject is null ? 0 : (uint)BpfMapFlags.ValueTypeBtfObjectFd),
                NumaNode = options.NumaNode,
                MapIfIndex = options.IfIndex,
                BtfKeyTypeId = options.BtfKeyTypeId,
                BtfValueTypeId = options.BtfValueTypeId,
                BtfVmlinuxValueTypeId = options.BtfVmlinuxValueTypeId,
                MapExtra = options.MapExtra,
            };
            ObjectName.Write(options.Name, new Span<byte>(attr.MapName, MapCreateAttr.ObjectNameLength));
            return attr;
        }

        private static BpfException CreateError(BpfMapCreateOptions options, int errno)
        {
            string operation = $"create map '{options.Name}' ({options.Type})";
            // EINVAL covers both bad attributes and unknown map types; only a failed minimal probe
            // of the same type lets us say the kernel lacks the type.
            if (errno == Errno.EINVAL && !TypeSupport.MapType(options.Type))
                return new BpfNotSupportedException(operation, errno, $"map type {options.Type} ({(uint)options.Type}) is not supported by this kernel");
            string? hint = errno switch
            {
                Errno.EINVAL => "invalid attributes (key/value size, max_entries or flags) for this map type",
                Errno.ENOMEM => "not enough memory (or memory cgroup limit) for max_entries",
                Errno.EPERM => KernelPrivileges.MapNeedsNetAdmin(options.Type)
                    ? BpfErrors.PermissionHint($"{options.Type} maps", $"{options.Type} maps need CAP_BPF + CAP_NET_ADMIN, or root")
                    : BpfErrors.PermissionHint($"{options.Type} maps"),
                _ => null,
            };
            return BpfErrors.Create(operation, errno, BpfCallKind.Create, hint);
        }
    }
}
