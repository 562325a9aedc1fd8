namespace BpfSkeleton.Interop
{
    /// <summary>Linux errno values (identical on x86_64 and arm64) that the runtime reacts to.</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int ESRCH = 3;
        internal const int EINTR = 4;
        internal const int EIO = 5;
        internal const int ENXIO = 6;
        internal const int E2BIG = 7;
        internal const int EBADF = 9;
        internal const int EAGAIN = 11;
        internal const int ENOMEM = 12;
        internal const int EACCES = 13;
        internal const int EFAULT = 14;
        internal const int EBUSY = 16;
        internal const int EEXIST = 17;
        internal const int EXDEV = 18;
        internal const int ENODEV = 19;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int EINVAL = 22;
        internal const int ENFILE = 23;
        internal const int EMFILE = 24;
        internal const int ENOTTY = 25;
        internal const int EFBIG = 27;
        internal const int ENOSPC = 28;
        internal const int ESPIPE = 29;
        internal const int EROFS = 30;
        internal const int ERANGE = 34;
        internal const int EDEADLK = 35;
        internal const int ENAMETOOLONG = 36;
        internal const int ENOSYS = 38;
        internal const int ELOOP = 40;
        internal const int ENOKEY = 126;
        internal const int EKEYEXPIRED = 127;
        internal const int EKEYREVOKED = 128;
        internal const int EKEYREJECTED = 129;
        internal const int ENOPKG = 65;
        internal const int EPROTO = 71;
        internal const int EBADMSG = 74;
        internal const int EOVERFLOW = 75;
        internal const int EBADFD = 77;
        internal const int EOPNOTSUPP = 95;
        internal const int EADDRINUSE = 98;
        internal const int ETIMEDOUT = 110;
        internal const int EALREADY = 114;
        internal const int ECANCELED = 125;
        /// <summary>Kernel-internal "not supported" that leaks to user space from some BPF paths.</summary>
        internal const int ENOTSUPP = 524;

        /// <summary>The symbolic name ("EPERM"), or "errno N" for values without one here.</summary>
        internal static string Name(int errno) => errno switch
        {
            EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", EINTR => "EINTR", EIO => "EIO",
            ENXIO => "ENXIO", E2BIG => "E2BIG", EBADF => "EBADF", EAGAIN => "EAGAIN", ENOMEM => "ENOMEM",
            EACCES => "EACCES", EFAULT => "EFAULT", EBUSY => "EBUSY", EEXIST => "EEXIST", EXDEV => "EXDEV",
            ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EISDIR => "EISDIR", EINVAL => "EINVAL", ENFILE => "ENFILE",
            EMFILE => "EMFILE", ENOTTY => "ENOTTY", EFBIG => "EFBIG", ENOSPC => "ENOSPC", ESPIPE => "ESPIPE",
            EROFS => "EROFS", ERANGE => "ERANGE", EDEADLK => "EDEADLK", ENAMETOOLONG => "ENAMETOOLONG",
            ENOSYS => "ENOSYS", ELOOP => "ELOOP", EPROTO => "EPROTO", EOVERFLOW => "EOVERFLOW", EBADFD => "EBADFD",
            EOPNOTSUPP => "EOPNOTSUPP", EADDRINUSE => "EADDRINUSE", ETIMEDOUT => "ETIMEDOUT", EALREADY => "EALREADY",
            ECANCELED => "ECANCELED", ENOTSUPP => "ENOTSUPP", ENOKEY => "ENOKEY", EKEYEXPIRED => "EKEYEXPIRED",
            EKEYREVOKED => "EKEYREVOKED", EKEYREJECTED => "EKEYREJECTED", ENOPKG => "ENOPKG", EBADMSG => "EBADMSG",
            _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
