namespace BpfSkeleton
{
    /// <summary>The kernel refused the operation for lack of privilege (EPERM or EACCES).</summary>
    public sealed class BpfPermissionException : BpfException
    {
        /// <summary>
        /// An operation refused for lack of privilege; <paramref name="errno"/> is EPERM or EACCES, other parameters as in <see cref="BpfException(string, int, string)"/>.
        /// </summary>
        public BpfPermissionException(string operation, int errno, string? hint = null)
            : base(operation, errno, hint)
        {
        }
    }
}
