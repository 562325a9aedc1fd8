using System;

namespace BpfSkeleton
{
    /// <summary>
    /// An object cannot be loaded on this kernel for a reason that is not a failed system call:
    /// a struct_ops type the kernel lacks, a member whose kind or size differs, an unresolvable
    /// extern or relocation. The message names the object, the map or program and the member.
    /// </summary>
    public class BpfLoadException : BpfException
    {
        /// <param name="message">What cannot be loaded, where, and the way out.</param>
        public BpfLoadException(string message) : base("load", message, null)
        {
        }

        /// <param name="message">What cannot be loaded, where, and the way out.</param>
        /// <param name="inner">The error this one explains.</param>
        public BpfLoadException(string message, Exception inner) : base("load", message, inner)
        {
        }
    }
}
