using System;
using System.IO;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>Syscalls shared by every kind of BPF object: info, pinning, ids.</summary>
    internal static unsafe class BpfObjects
    {
        /// <summary>BPF_OBJ_GET_INFO_BY_FD into <paramref name="info"/> (a zeroed or pre-filled info struct).</summary>
        internal static void GetInfo<TInfo>(BpfFileDescriptor fd, ref TInfo info, string operation) where TInfo : unmanaged
        {
            using var lease = new FdLease(fd);
            fixed (TInfo* pointer = &info)
            {
                var attr = new ObjInfoAttr { BpfFd = lease.UFd, InfoLength = (uint)sizeof(TInfo), Info = (ulong)pointer };
                BpfErrors.Check(Sys.Bpf(BpfCommand.ObjGetInfoByFd, ref attr), operation);
            }
        }

        internal static void Pin(BpfFileDescriptor fd, string path, string what)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            using var lease = new FdLease(fd);
            fixed (byte* pathBytes = Utf8Z(path))
            {
                var attr = new ObjPinAttr { PathName = (ulong)pathBytes, BpfFd = lease.UFd };
                BpfErrors.Check(Sys.Bpf(BpfCommand.ObjPin, ref attr), $"pin {what} at '{path}'",
                    hint: PinHint(path));
            }
        }

        /// <summary>Removes a pin; the object lives on while other references (fds, pins, attachments) exist.</summary>
        internal static void Unpin(string path, string what)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (!File.Exists(path))
                throw new BpfException($"unpin {what} at '{path}'", Errno.ENOENT, "nothing is pinned there");
            File.Delete(path);
        }

        internal static BpfFileDescriptor OpenPinned(string path, string what, uint fileFlags = 0)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            var fd = new BpfFileDescriptor();
            fixed (byte* pathBytes = Utf8Z(path))
            {
                var attr = new ObjPinAttr { PathName = (ulong)pathBytes, FileFlags = fileFlags };
                int result = Sys.Bpf(BpfCommand.ObjGet, ref attr);
                if (result < 0)
                {
                    fd.Dispose();
                    BpfErrors.Throw($"open pinned {what} '{path}'", -result, hint: result == -Errno.ENOENT ? "nothing is pinned there" : null);
                }
                fd.Adopt(result);
            }
            return fd;
        }

        internal static BpfFileDescriptor OpenById(BpfCommand command, uint id, string what)
        {
            var fd = new BpfFileDescriptor();
            var attr = new GetIdAttr { Id = id };
            int result = Sys.Bpf(command, ref attr);
            if (result < 0)
            {
                fd.Dispose();
                BpfErrors.Throw($"open {what} by id {id}", -result, hint: result == -Errno.ENOENT ? "no such id" : null);
            }
            fd.Adopt(result);
            return fd;
        }

        /// <summary>The next id after <paramref name="start"/>, or 0 when there is none.</summary>
        internal static uint NextId(BpfCommand command, uint start)
        {
            var attr = new GetIdAttr { Id = start };
            int result = Sys.Bpf(command, ref attr);
            if (result == -Errno.ENOENT)
                return 0;
            BpfErrors.Check(result, $"list ids ({command})");
            return attr.NextId;
        }

        internal static byte[] Utf8Z(string text)
        {
            int length = System.Text.Encoding.UTF8.GetByteCount(text);
            var bytes = new byte[length + 1];
            System.Text.Encoding.UTF8.GetBytes(text, bytes);
            return bytes;
        }

        /// <summary>NUL-terminated UTF-8 in <paramref name="buffer"/> when it fits (no allocation), else in a new array.</summary>
        internal static ReadOnlySpan<byte> Utf8Z(string text, Span<byte> buffer)
        {
            int length = System.Text.Encoding.UTF8.GetByteCount(text);
            if (length >= buffer.Length)
                return Utf8Z(text);
            buffer[System.Text.Encoding.UTF8.GetBytes(text, buffer)] = 0;
            return buffer.Slice(0, length + 1);
        }

        private static string? PinHint(string path)
            => path.StartsWith("/sys/fs/bpf", StringComparison.Ordinal) ? null : "pin paths must be on a bpffs mount such as /sys/fs/bpf";
    }
}
