using System;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>
    /// The one root of this library's errors. Most are a failed kernel call: <see cref="Errno"/> is the errno of
    /// that call and <see cref="Operation"/> says what was being done, e.g. "create map 'events' (Ringbuf)". The
    /// others (<see cref="BpfFormatException"/>: a malformed object; <see cref="BpfLoadException"/>: an object
    /// this kernel cannot take) carry <see cref="Errno"/> 0.
    /// </summary>
    public class BpfException : Exception
    {
        /// <summary>An error from a system call made for <paramref name="operation"/>.</summary>
        /// <param name="operation">What was being done, e.g. "create map 'events' (Ringbuf)"; starts the message.</param>
        /// <param name="errno">The positive errno the call failed with (0 for errors no call reported).</param>
        /// <param name="hint">An explanation appended to the message (likely cause or remedy); null for none.</param>
        public BpfException(string operation, int errno, string? hint = null)
            : this(operation, errno, hint, Describe(operation, errno, hint))
        {
        }

        /// <summary>For derived exceptions that compose their own <paramref name="message"/>; the other parameters as in the public constructor.</summary>
        protected BpfException(string operation, int errno, string? hint, string message)
            : base(message)
        {
            Operation = operation;
            Errno = errno;
            Hint = hint;
        }

        /// <summary>A failure that is not a failed kernel call: <see cref="Errno"/> is 0.</summary>
        /// <param name="operation">What was being done, e.g. "load".</param>
        /// <param name="message">The whole message: what failed, where, and the way out.</param>
        /// <param name="inner">The error this one explains, if any.</param>
        protected BpfException(string operation, string message, Exception? inner)
            : base(message, inner)
        {
            Operation = operation;
        }

        /// <summary>The errno the kernel returned (for example 1 for EPERM); 0 when no kernel call failed.</summary>
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
