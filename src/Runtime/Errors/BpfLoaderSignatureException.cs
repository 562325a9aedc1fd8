namespace BpfSkeleton
{
    /// <summary>
    /// A light skeleton's loader failed its signature: the kernel refused the signature of the loader program at
    /// <c>BPF_PROG_LOAD</c> (<see cref="BpfException.Errno"/> says why: EKEYREJECTED, ENOKEY, EBADMSG, …), the
    /// loader found its data changed since it was recorded, or a signature was demanded
    /// (<see cref="BpfOpenOptions.LoaderKeyring"/>) of a loader that has none (errno 0).
    /// </summary>
    public sealed class BpfLoaderSignatureException : BpfException
    {
        /// <summary>A signature refused by the kernel; parameters as in <see cref="BpfException(string, int, string)"/>.</summary>
        public BpfLoaderSignatureException(string operation, int errno, string? hint = null)
            : base(operation, errno, hint)
        {
        }

        /// <summary>A signature problem no kernel call reported: <paramref name="message"/> is the whole message.</summary>
        internal BpfLoaderSignatureException(string operation, string message)
            : base(operation, message, null)
        {
        }
    }
}
