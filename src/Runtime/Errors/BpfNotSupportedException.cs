namespace BpfSkeleton
{
    /// <summary>
    /// The running kernel lacks a feature the operation needs (an unknown map or program type, an
    /// attribute field it does not know, or an operation the object does not implement).
    /// </summary>
    public sealed class BpfNotSupportedException : BpfException
    {
        /// <summary>An operation the running kernel does not support; parameters as in <see cref="BpfException(string, int, string)"/>.</summary>
        public BpfNotSupportedException(string operation, int errno, string? hint = null)
            : base(operation, errno, hint)
        {
        }
    }
}
