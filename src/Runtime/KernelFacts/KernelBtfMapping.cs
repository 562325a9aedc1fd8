using System;
using BpfSkeleton.Btf;
using BpfSkeleton.Interop;
using Microsoft.Win32.SafeHandles;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>
    /// Maps a kernel BTF file read-only into the process, as libbpf 1.6+ does: Linux 6.16+ lets
    /// /sys/kernel/btf/vmlinux be mapped, and then nothing is read or copied (the kernel maps its own
    /// pages, which do not count towards the process's resident memory), and types are read where they lie.
    /// The mapping is never unmapped: kernel BTF is parsed once per process and kept.
    /// </summary>
    internal static class KernelBtfMapping
    {
        /// <summary>The file's bytes mapped in place, or null where the file cannot be mapped (older kernels, module BTF), so the caller reads it.</summary>
        public static unsafe ReadOnlyMemory<byte>? TryMap(string path)
        {
            int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
                return null;
            using var file = new SafeFileHandle(fd, ownsHandle: true);
            long length = Libc.Lseek(fd, 0, Libc.SEEK_END);
            if (length <= 0 || length > int.MaxValue)
                return null;
            void* address = Libc.Mmap(null, (nuint)length, Libc.PROT_READ, Libc.MAP_PRIVATE, fd, 0);
            if ((nint)address == Libc.MAP_FAILED)
                return null;
            return new UnmanagedBytes((byte*)address, (int)length).Memory;
        }
    }
}
