using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    internal static class NetworkInterfaces
    {
        /// <summary>The interface index in the calling thread's network namespace.</summary>
        internal static int IndexOf(string name)
        {
            uint index = Libc.IfNameToIndex(name);
            if (index == 0)
                BpfErrors.Throw($"find network interface '{name}'", Marshal.GetLastPInvokeError() is var errno and > 0 ? errno : Errno.ENODEV);
            return (int)index;
        }
    }
}
