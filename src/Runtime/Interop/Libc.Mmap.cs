using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x01;
        /// <summary>A private copy-on-write mapping; /sys/kernel/btf/vmlinux can be mapped only so, and read-only.</summary>
        internal const int MAP_PRIVATE = 0x02;
        /// <summary>At exactly the address given, failing with EEXIST rather than replacing a mapping there (Linux 4.17+).</summary>
        internal const int MAP_FIXED_NOREPLACE = 0x100000;
        internal static readonly nint MAP_FAILED = -1;

        [LibraryImport(Name, EntryPoint = "mmap", SetLastError = true)]
        internal static unsafe partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);
    }
}
