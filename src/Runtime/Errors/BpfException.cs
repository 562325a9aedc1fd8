using System;

namespace BpfSkeleton
{
    /// <summary>
    /// A kernel call failed. <see cref="Errno"/> is the errno of that call and <see cref="Operation"/>
    /// says what was being done, e.g. "create map 'events' (Ringbuf)".
    /// </summary>
    public class BpfException : Exception
    {
        public BpfException(string operation, int errno, string? hint = null)
            : this(operation, errno, hint, Describe(operation, errno, hint))
        {
        }

        protected BpfException(string operation, int errno, string? hint, string message)
            : base(message)
        {
            Operation = operation;
            Errno = errno;
            Hint = hint;
        }

        /// <summary>The errno the kernel returned (for example 1 for EPERM).</summary>
        public int Errno { get; }

        /// <summary>Symbolic errno name, for example "EPERM".</summary>
        public string ErrnoName => Interop.Errno.Name(Errno);

        /// <summary>What was being done when the call failed.</summary>
        public string Operation { get; }

        /// <summary>A likely cause or remedy, when one is known; otherwise null.</summary>
        public string? Hint { get; }

        /// <summary>"operation: ENAME (description) — hint".</summary>
        internal static string Describe(string operation, int errno, string? hint)
        {
            string text = $"{operation}: {Interop.Errno.Name(errno)} ({BpfErrors.Description(errno)})";
            return hint is null ? text : text + " — " + hint;
        }
    }
}
