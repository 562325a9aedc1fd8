using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary><c>epoll_wait(epfd, events, maxevents, timeout)</c>; <paramref name="events"/> holds <see cref="EpollEvent"/> layouts.</summary>
        [LibraryImport(Name, EntryPoint = "epoll_wait", SetLastError = true)]
        internal static unsafe partial int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMs);
    }
}
