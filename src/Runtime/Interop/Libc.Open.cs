using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        internal const int O_RDONLY = 0;
        // O_DIRECTORY differs by architecture: 0200000 on x86_64, 040000 on arm64.
        internal static int O_DIRECTORY => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
        internal const int O_CLOEXEC = 0x80000;

        [LibraryImport(Name, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags, int mode);
    }
}
