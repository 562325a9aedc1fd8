using System;

namespace BpfSkeleton
{
    /// <summary>
    /// An object cannot be loaded on this kernel for a reason that is not a failed system call:
    /// a struct_ops type the kernel lacks, a member whose kind or size differs, an unresolvable
    /// extern or relocation. The message names the object, the map or program and the member.
    /// </summary>
    public class BpfLoadException : Exception
    {
        public BpfLoadException(string message) : base(message)
        {
        }

        public BpfLoadException(string message, Exception inner) : base(message, inner)
        {
        }
    }
}
