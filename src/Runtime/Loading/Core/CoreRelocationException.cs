namespace BpfSkeleton.Loading
{
    /// <summary>A CO-RE relocation that cannot be computed or applied; the relocator adds which one it was.</summary>
    internal sealed class CoreRelocationException : System.Exception
    {
        public CoreRelocationException(string message)
            : base(message)
        {
        }
    }
}
