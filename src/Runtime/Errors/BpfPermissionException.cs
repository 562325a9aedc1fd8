namespace BpfSkeleton
{
    /// <summary>The kernel refused the operation for lack of privilege (EPERM or EACCES).</summary>
    public sealed class BpfPermissionException : BpfException
    {
        public BpfPermissionException(string operation, int errno, string? hint = null)
            : base(operation, errno, hint)
        {
        }
    }
}
