using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        internal const int EPOLL_CTL_ADD = 1;
        internal const int EPOLL_CTL_DEL = 2;
        internal const uint EPOLLIN = 0x001;
        internal const uint EPOLLOUT = 0x004;

        /// <summary><c>epoll_ctl(epfd, op, fd, event)</c>; <paramref name="epollEvent"/> points at an <see cref="EpollEvent"/> layout.</summary>
        [LibraryImport(Name, EntryPoint = "epoll_ctl", SetLastError = true)]
        internal static unsafe partial int EpollCtl(int epollFd, int operation, int fd, byte* epollEvent);
    }
}
