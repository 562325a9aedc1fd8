using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// An attachment of a program (or struct_ops map) to a hook, held by a link descriptor. Disposing
    /// detaches it unless it was pinned (the pin keeps it) or <see cref="Disconnect"/>ed.
    /// </summary>
    public unsafe class BpfLink : IDisposable
    {
        private bool _disconnected;

        /// <summary>Takes ownership of <paramref name="fd"/>, a link descriptor; for derived link types.</summary>
        protected internal BpfLink(BpfFileDescriptor fd) => Fd = fd;

        /// <summary>The link's descriptor; owned by this object.</summary>
        public BpfFileDescriptor Fd { get; }

        /// <summary>The kernel's description of the link.</summary>
        public BpfLinkInfo Info => GetInfo();

        /// <summary>
        /// Opens a link pinned at <paramref name="path"/> on bpffs. Throws <see cref="BpfException"/> when nothing is pinned there (ENOENT) or the pin is not a link.
        /// </summary>
        public static BpfLink FromPinned(string path) => new(BpfObjects.OpenPinned(path, "link"));

        /// <summary>
        /// Opens a link by its kernel-wide id (needs CAP_SYS_ADMIN). Throws <see cref="BpfException"/> (ENOENT) when no link has that id.
        /// </summary>
        public static BpfLink FromId(uint id) => new(BpfObjects.OpenById(BpfCommand.LinkGetFdById, id, "link"));

        /// <summary>Reads the kernel's description of the link (BPF_OBJ_GET_INFO_BY_FD), anew on each call.</summary>
        public virtual BpfLinkInfo GetInfo()
        {
            var native = new LinkInfoNative();
            BpfObjects.GetInfo(Fd, ref native, "get info of link");
            var type = (BpfLinkType)native.Type;
            string? tracepoint = type is BpfLinkType.RawTracepoint or BpfLinkType.PerfEvent ? ReadTracepointName(type) : null;
            return new BpfLinkInfo
            {
                Type = type,
                Id = native.Id,
                ProgramId = native.ProgId,
                AttachType = type switch
                {
                    BpfLinkType.Tracing => (BpfAttachType)native.TracingAttachType,
                    BpfLinkType.Cgroup => (BpfAttachType)native.CgroupAttachType,
                    // netns links keep { netns_ino; attach_type; } where tcx keeps { ifindex; attach_type; }.
                    BpfLinkType.Tcx or BpfLinkType.NetKit or BpfLinkType.NetNs => (BpfAttachType)native.NetAttachType,
                    _ => null,
                },
                IfIndex = type is BpfLinkType.Xdp or BpfLinkType.Tcx or BpfLinkType.NetKit ? native.IfIndex : 0,
                MapId = type switch
                {
                    BpfLinkType.StructOps => native.StructOpsMapId,
                    BpfLinkType.Iter => native.IterMapId,
                    _ => 0,
                },
                CgroupId = type == BpfLinkType.Cgroup ? native.CgroupId : 0,
                TargetObjectId = type == BpfLinkType.Tracing ? native.TracingTargetObjId : 0,
                TargetBtfId = type == BpfLinkType.Tracing ? native.TracingTargetBtfId : 0,
                TracepointName = tracepoint,
            };
        }

        private string? ReadTracepointName(BpfLinkType type)
        {
            byte* name = stackalloc byte[256];
            var native = new LinkInfoNative();
            if (type == BpfLinkType.RawTracepoint)
                (native.RawTracepointName, native.RawTracepointNameLength) = ((ulong)name, 256);
            else
                (native.PerfEventTracepointName, native.PerfEventTracepointNameLength) = ((ulong)name, 256);
            BpfObjects.GetInfo(Fd, ref native, "get tracepoint name of link");
            string text = ObjectName.Read(new ReadOnlySpan<byte>(name, 256));
            return text.Length == 0 ? null : text;
        }

        /// <summary>
        /// Pins the link at <paramref name="path"/> on a bpffs mount: the attachment then outlives this object and the process
        /// until the pin is removed (<see cref="Unpin"/>). Throws <see cref="BpfException"/> when the path exists (EEXIST).
        /// </summary>
        public void Pin(string path) => BpfObjects.Pin(Fd, path, "link");

        /// <summary>Removes a pin (of any link) from bpffs; the attachment ends once no descriptor holds the link.</summary>
        public static void Unpin(string path) => BpfObjects.Unpin(path, "link");

        /// <summary>Replaces the attached program (BPF_LINK_UPDATE); with <paramref name="expected"/>, only if that one is attached.</summary>
        public void Update(BpfProgramHandle program, BpfProgramHandle? expected = null)
        {
            ArgumentNullException.ThrowIfNull(program);
            int result = UpdateTarget(program.Fd, expected?.Fd);
            // With BPF_F_REPLACE the kernel answers EPERM when another program is attached: not a privilege problem.
            if (result == -Errno.EPERM && expected is not null)
                throw new BpfException($"update link to {program}", Errno.EPERM, $"the attached program is not {expected}");
            BpfErrors.Check(result, $"update link to {program}");
        }

        /// <summary>BPF_LINK_UPDATE to a new program or (struct_ops) map; with an expected old one, BPF_F_REPLACE. Returns the result or -errno.</summary>
        private protected int UpdateTarget(BpfFileDescriptor replacement, BpfFileDescriptor? expected)
        {
            using var link = new FdLease(Fd);
            using var target = new FdLease(replacement);
            using var old = FdLease.Of(expected);
            var attr = new LinkUpdateAttr
            {
                LinkFd = link.UFd,
                NewProgOrMapFd = target.UFd,
                Flags = expected is null ? 0u : ReplaceFlag,
                OldProgOrMapFd = old.UFd,
            };
            return Sys.Bpf(BpfCommand.LinkUpdate, ref attr);
        }

        /// <summary>
        /// Detaches the program from its hook now (BPF_LINK_DETACH); the descriptor stays valid but
        /// the link is defunct.
        /// </summary>
        public void Detach()
        {
            using var link = new FdLease(Fd);
            var attr = new SingleFdAttr { Value = link.UFd };
            BpfErrors.Check(Sys.Bpf(BpfCommand.LinkDetach, ref attr), "detach link", hint: "links of this type cannot be detached; dispose them instead");
        }

        /// <summary>
        /// Keeps the attachment past <see cref="Dispose()"/>: the descriptor is left open until the
        /// process exits. To outlive the process, <see cref="Pin"/> the link.
        /// </summary>
        public void Disconnect() => _disconnected = true;

        /// <summary>True after <see cref="Disconnect"/>: disposing keeps the attachment.</summary>
        protected bool IsDisconnected => _disconnected;

        /// <summary>Detaches the program (unless pinned or <see cref="Disconnect"/>ed) and closes the descriptor.</summary>
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Releases the link; <paramref name="disposing"/> is false when called from a finalizer, which has nothing to release here.
        /// Derived links that hold more (perf events, USDT specs) release it here as well.
        /// </summary>
        protected virtual void Dispose(bool disposing)
        {
            if (!disposing)
                return;
            if (_disconnected)
                Fd.SetHandleAsInvalid();
            else
                Fd.Dispose();
        }

        internal const uint ReplaceFlag = 1u << 2; // BPF_F_REPLACE

        /// <summary>
        /// BPF_LINK_CREATE: attaches the program (or struct_ops map) behind <paramref name="source"/> to
        /// <paramref name="target"/> (an fd or ifindex, by attach type), with the type-specific tail of
        /// <paramref name="attr"/> already filled in by the caller. A failure's hint comes from
        /// <paramref name="hint"/> when the link type knows better than <see cref="LinkHint"/>.
        /// </summary>
        internal static BpfFileDescriptor Create(BpfFileDescriptor source, uint target, BpfAttachType attachType, uint flags,
            LinkCreateAttr attr, string operation, Func<int, string?>? hint = null)
        {
            using var sourceLease = new FdLease(source);
            attr.ProgOrMapFd = sourceLease.UFd;
            attr.Target = target;
            attr.AttachType = (uint)attachType;
            attr.Flags = flags;
            var fd = new BpfFileDescriptor();
            int result = Sys.Bpf(BpfCommand.LinkCreate, ref attr);
            if (result < 0)
            {
                fd.Dispose();
                BpfErrors.Throw(operation, -result, BpfCallKind.Create, (hint ?? LinkHint)(-result));
            }
            fd.Adopt(result);
            return fd;
        }

        internal static string? LinkHint(int errno) => errno switch
        {
            Errno.EINVAL => "the program's type or expected attach type does not fit this attach point",
            Errno.EEXIST or Errno.EBUSY => "something is already attached there",
            Errno.ENOENT => "the attach target does not exist",
            _ => null,
        };
    }
}
