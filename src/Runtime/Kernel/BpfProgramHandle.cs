using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>A loaded BPF program.</summary>
    public sealed unsafe partial class BpfProgramHandle : IDisposable
    {
        private BpfProgramInfo? _info;

        private BpfProgramHandle(BpfFileDescriptor fd, string name, BpfProgramType type, BpfAttachType? expectedAttachType, string? verifierLog)
        {
            Fd = fd;
            Name = name;
            Type = type;
            ExpectedAttachType = expectedAttachType;
            VerifierLog = verifierLog;
        }

        /// <summary>The program's descriptor; owned by this object.</summary>
        public BpfFileDescriptor Fd { get; }

        /// <summary>
        /// The kernel's description of the program, read on first use (a program this process loaded
        /// knows its name and type, so loading costs no info call) or when the program was opened.
        /// </summary>
        public BpfProgramInfo Info => _info ??= ReadInfo(Fd, $"get info of {this}");

        /// <summary>The program's name (at most 15 bytes, as the kernel keeps it).</summary>
        public string Name { get; }
        /// <summary>The program's type.</summary>
        public BpfProgramType Type { get; }
        /// <summary>The program's kernel-wide id (reads <see cref="Info"/> on first use).</summary>
        public uint Id => Info.Id;

        /// <summary>The expected attach type given at load, when known (null for programs opened by id or path).</summary>
        public BpfAttachType? ExpectedAttachType { get; }

        /// <summary>The verifier's log when <see cref="BpfProgramLoadOptions.LogLevel"/> asked for one; otherwise null.</summary>
        public string? VerifierLog { get; }

        /// <summary>
        /// Opens a loaded program by its id (needs CAP_SYS_ADMIN). Throws <see cref="BpfException"/> (ENOENT) when no program has that id.
        /// </summary>
        public static BpfProgramHandle FromId(uint id)
            => FromOwnedFd(BpfObjects.OpenById(BpfCommand.ProgGetFdById, id, "program"), $"open program id {id}");

        /// <summary>
        /// Opens a program pinned at <paramref name="path"/> on bpffs. Throws <see cref="BpfException"/> when nothing is pinned there (ENOENT) or the pin is not a program.
        /// </summary>
        public static BpfProgramHandle FromPinned(string path)
            => FromOwnedFd(BpfObjects.OpenPinned(path, "program"), $"open pinned program '{path}'");

        /// <summary>Wraps an existing program descriptor, taking ownership of it.</summary>
        public static BpfProgramHandle FromFd(BpfFileDescriptor fd) => FromOwnedFd(fd, "inspect program fd");

        /// <summary>A program loaded by a light skeleton's loader: its fd, with what the plan loaded it as.</summary>
        internal static BpfProgramHandle Adopt(BpfFileDescriptor fd, string name, BpfProgramType type, BpfAttachType? expectedAttachType)
            => new(fd, ObjectName.Sanitize(name), type, expectedAttachType, verifierLog: null);

        private static BpfProgramHandle FromOwnedFd(BpfFileDescriptor fd, string operation)
        {
            try
            {
                BpfProgramInfo info = ReadInfo(fd, operation);
                // Opened, not loaded here: no expected attach type or verifier log is known.
                return new BpfProgramHandle(fd, info.Name, info.Type, expectedAttachType: null, verifierLog: null) { _info = info };
            }
            catch
            {
                fd.Dispose();
                throw;
            }
        }

        /// <summary>Reads the kernel's description anew (run counters change; <see cref="Info"/> is read once).</summary>
        public BpfProgramInfo GetInfo() => ReadInfo(Fd, $"get info of {this}");

        private static BpfProgramInfo ReadInfo(BpfFileDescriptor fd, string operation)
        {
            var native = new ProgInfoNative();
            BpfObjects.GetInfo(fd, ref native, operation);
            return BpfProgramInfo.From(native);
        }

        /// <summary>The instructions as the verifier rewrote them (xlated), fetched with two info calls.</summary>
        public ulong[] GetTranslatedInstructions()
        {
            var first = new ProgInfoNative();
            BpfObjects.GetInfo(Fd, ref first, $"get info of {this}");
            var instructions = new ulong[first.XlatedProgLen / sizeof(ulong)];
            if (instructions.Length == 0)
                return instructions;
            fixed (ulong* buffer = instructions)
            {
                var second = new ProgInfoNative { XlatedProgLen = first.XlatedProgLen, XlatedProgInsns = (ulong)buffer };
                BpfObjects.GetInfo(Fd, ref second, $"get instructions of {this}");
                if (second.XlatedProgLen < first.XlatedProgLen)
                    Array.Resize(ref instructions, (int)(second.XlatedProgLen / sizeof(ulong)));
            }
            return instructions;
        }

        /// <summary>The ids of the maps the program uses, as the kernel lists them (referenced or bound), with two info calls.</summary>
        public uint[] GetMapIds()
        {
            var first = new ProgInfoNative();
            BpfObjects.GetInfo(Fd, ref first, $"get info of {this}");
            var ids = new uint[first.NrMapIds];
            if (ids.Length == 0)
                return ids;
            fixed (uint* buffer = ids)
            {
                var second = new ProgInfoNative { NrMapIds = first.NrMapIds, MapIds = (ulong)buffer };
                BpfObjects.GetInfo(Fd, ref second, $"get map ids of {this}");
                if (second.NrMapIds < first.NrMapIds)
                    Array.Resize(ref ids, (int)second.NrMapIds);
            }
            return ids;
        }

        /// <summary>
        /// Binds <paramref name="map"/> to this program (BPF_PROG_BIND_MAP, libbpf's bpf_prog_bind_map): the map
        /// lives as long as the program and is listed with it, though no instruction refers to it — as libbpf does
        /// for <c>.rodata</c>, so tools find a program's <c>bpf_metadata_*</c> variables.
        /// </summary>
        public void BindMap(BpfMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            using var program = new FdLease(Fd);
            using var bound = new FdLease(map.Fd);
            var attr = new ProgBindMapAttr { ProgFd = program.UFd, MapFd = bound.UFd };
            // The message only on failure: formatting both handles (their enum types) on every bind cost a first load ~1 ms.
            int result = Sys.Bpf(BpfCommand.ProgBindMap, ref attr);
            if (result < 0) BpfErrors.Check(result, $"bind {map} to {this}");
        }

        /// <summary>
        /// Pins the program at <paramref name="path"/> on a bpffs mount, so it outlives this process. Throws <see cref="BpfException"/> when the path exists (EEXIST).
        /// </summary>
        public void Pin(string path) => BpfObjects.Pin(Fd, path, this.ToString());

        /// <summary>Removes a pin (of any program) from bpffs.</summary>
        public static void Unpin(string path) => BpfObjects.Unpin(path, "program");

        /// <summary>Closes this process's descriptor; the kernel unloads the program once no link, pin or fd holds it.</summary>
        public void Dispose() => Fd.Dispose();

        /// <summary>"program 'name' (Type, id N)" for messages; the id only when already read.</summary>
        public override string ToString() => $"program '{Name}' ({Type}{(_info is null ? "" : $", id {_info.Id}")})";
    }
}
