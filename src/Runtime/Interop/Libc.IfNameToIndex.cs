using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary>Interface index of a network device in the calling thread's network namespace; 0 if none.</summary>
        [LibraryImport(Name, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial uint IfNameToIndex(string name);
    }
}
