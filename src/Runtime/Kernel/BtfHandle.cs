using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>A BTF object loaded into the kernel (BPF_BTF_LOAD), or a kernel/module BTF opened by id.</summary>
    public sealed unsafe class BtfHandle : IDisposable
    {
        private uint _id;

        private BtfHandle(BpfFileDescriptor fd) => Fd = fd;

        /// <summary>The BTF object's descriptor; owned by this object.</summary>
        public BpfFileDescriptor Fd { get; }

        /// <summary>The kernel's id for this BTF object.</summary>
        public uint Id
        {
            get
            {
                if (_id == 0)
                {
                    var info = new BtfInfoNative();
                    BpfObjects.GetInfo(Fd, ref info, "get info of BTF");
                    _id = info.Id;
                }
                return _id;
            }
        }

        /// <summary>
        /// Loads raw BTF (header, types, strings). On rejection throws <see cref="BpfVerifierException"/>
        /// carrying the kernel's BTF log; nothing is left open.
        /// </summary>
        public static BtfHandle Load(ReadOnlySpan<byte> rawBtf)
        {
            var fd = new BpfFileDescriptor();
            int result = LoadFd(rawBtf, fd, null, out _);
            if (result >= 0)
                return new BtfHandle(fd);

            var log = KernelLog.Start();
            uint trueSize;
            do
            {
                result = LoadFd(rawBtf, fd, log, out trueSize);
            }
            while (result < 0 && log.TryGrowAfter(result, trueSize));
            if (result >= 0)
                return new BtfHandle(fd);

            fd.Dispose();
            string text = log.Text();
            if (text.Length == 0 || result == -Errno.EPERM)
                BpfErrors.Throw("load BTF", -result, BpfCallKind.Create, result == -Errno.EPERM ? BpfErrors.PermissionHint("loading BTF") : null);
            throw new BpfVerifierException("load BTF", -result, text, log.IsTruncated(result));
        }

        /// <summary>Opens the BTF object with the given id (for example a kernel module's BTF).</summary>
        public static BtfHandle FromId(uint id)
            => new(BpfObjects.OpenById(BpfCommand.BtfGetFdById, id, "BTF")) { _id = id };

        /// <summary>
        /// The raw BTF (header, types, strings) as the kernel holds it, read with two info calls:
        /// one for the size, one into a buffer of that size.
        /// </summary>
        public byte[] ReadRawBtf()
        {
            var sizing = new BtfInfoNative();
            BpfObjects.GetInfo(Fd, ref sizing, "get size of BTF");
            var bytes = new byte[sizing.BtfSize];
            fixed (byte* buffer = bytes)
            {
                var info = new BtfInfoNative { Btf = (ulong)buffer, BtfSize = sizing.BtfSize };
                BpfObjects.GetInfo(Fd, ref info, "read BTF");
                _id = info.Id;
            }
            return bytes;
        }

        /// <summary>Wraps a BTF descriptor, taking ownership of it.</summary>
        public static BtfHandle FromFd(BpfFileDescriptor fd) => new(fd);

        /// <summary>BPF_BTF_LOAD into <paramref name="fd"/>; returns the result or <c>-errno</c>.</summary>
        internal static int LoadFd(ReadOnlySpan<byte> rawBtf, BpfFileDescriptor fd, KernelLog? log, out uint logTrueSize)
        {
            fixed (byte* btf = rawBtf)
            fixed (byte* logBuffer = log?.Buffer)
            {
                var attr = new BtfLoadAttr
                {
                    Btf = (ulong)btf,
                    BtfSize = (uint)rawBtf.Length,
                    LogBuf = (ulong)logBuffer,
                    LogSize = (uint)(log?.Buffer.Length ?? 0),
                    LogLevel = log is null ? 0u : 1u,
                };
                int result = Sys.Bpf(BpfCommand.BtfLoad, ref attr);
                logTrueSize = attr.LogTrueSize;
                if (result >= 0)
                    fd.Adopt(result);
                return result;
            }
        }

        /// <summary>Closes this process's descriptor; the kernel frees the BTF once no map, program or fd holds it.</summary>
        public void Dispose() => Fd.Dispose();
    }
}
