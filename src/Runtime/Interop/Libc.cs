namespace BpfSkeleton.Interop
{
    /// <summary>
    /// Direct libc entry points. Each partial file declares one native function; all set errno so
    /// callers read it with <see cref="System.Runtime.InteropServices.Marshal.GetLastPInvokeError"/>
    /// immediately after the call.
    /// </summary>
    internal static partial class Libc
    {
        // "libc" is resolved by the runtime to the platform C library (glibc or musl).
        internal const string Name = "libc";
    }
}
