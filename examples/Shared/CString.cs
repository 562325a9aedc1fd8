using System.Runtime.InteropServices;

namespace BpfSkeleton.Examples;

public static class CString
{
    /// <summary>A C <c>char[N]</c> from a generated struct (as sbytes), up to its first NUL.</summary>
    public static string From(ReadOnlySpan<sbyte> chars) => SkeletonText.Read(MemoryMarshal.AsBytes(chars));
}
