namespace BpfSkeleton.Light
{
    /// <summary>
    /// The layout of the context the loader program runs on (<c>BPF_PROG_RUN</c>'s ctx_in, written back by the
    /// kernel): the verifier log to use, the failed step and its error, where the run's inputs are, then one fd per
    /// slot (-1 while empty).
    /// </summary>
    internal static class LoaderContext
    {
        public const int LogBuffer = 0;     // u64 user address, or 0
        public const int LogSize = 8;       // u32
        public const int LogLevel = 12;     // u32
        public const int FailedStep = 16;   // u32: step index + 1, 0 when every step succeeded
        public const int Error = 20;        // s32: the failed syscall's -errno
        public const int Inputs = 24;       // u64 user address of the run's inputs (see BpfLoaderImage.InputSize), or 0
        public const int FirstFd = 32;      // s32 per slot

        public static int Fd(int slot) => FirstFd + slot * 4;

        public static int Size(int slots) => FirstFd + slots * 4;
    }
}
