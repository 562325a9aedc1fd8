using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfProgramHandle
    {
        /// <summary>Runs the program once (or <see cref="BpfTestRunOptions.Repeat"/> times) in the kernel on the given input.</summary>
        public BpfTestRunResult TestRun(BpfTestRunOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            byte[] dataOut = options.DataOutSize > 0 ? new byte[options.DataOutSize] : Array.Empty<byte>();
            byte[] contextOut = options.ContextOutSize > 0 ? new byte[options.ContextOutSize] : Array.Empty<byte>();
            using var lease = new FdLease(Fd);
            // fixed rather than Memory.Pin: pinning array-backed memory allocates a GC handle per input.
            fixed (byte* dataIn = options.DataIn.Span)
            fixed (byte* contextIn = options.ContextIn.Span)
            fixed (byte* dataOutPointer = dataOut)
            fixed (byte* contextOutPointer = contextOut)
            {
                var attr = new TestRunAttr
                {
                    ProgFd = lease.UFd,
                    DataIn = (ulong)dataIn,
                    DataSizeIn = (uint)options.DataIn.Length,
                    DataOut = (ulong)dataOutPointer,
                    DataSizeOut = (uint)dataOut.Length,
                    CtxIn = (ulong)contextIn,
                    CtxSizeIn = (uint)options.ContextIn.Length,
                    CtxOut = (ulong)contextOutPointer,
                    CtxSizeOut = (uint)contextOut.Length,
                    Repeat = options.Repeat,
                    Flags = options.Flags,
                    Cpu = options.Cpu,
                    BatchSize = options.BatchSize,
                };
                int result = Sys.Bpf(BpfCommand.ProgTestRun, ref attr);
                if (result < 0)
                    ThrowTestRunError(-result);
                if (attr.DataSizeOut < dataOut.Length)
                    Array.Resize(ref dataOut, (int)attr.DataSizeOut);
                if (attr.CtxSizeOut < contextOut.Length)
                    Array.Resize(ref contextOut, (int)attr.CtxSizeOut);
                return new BpfTestRunResult(attr.RetVal, attr.Duration, dataOut, contextOut);
            }
        }
    
        /// <summary>
        /// Runs a syscall program once on <paramref name="context"/>, which the kernel writes back in place
        /// (BPF_PROG_RUN of a BPF_PROG_TYPE_SYSCALL program takes ctx_in only); returns the program's return value.
        /// </summary>
        internal uint RunOnContext(Span<byte> context)
        {
            using var lease = new FdLease(Fd);
            fixed (byte* contextBytes = context)
            {
                var attr = new TestRunAttr { ProgFd = lease.UFd, CtxIn = (ulong)contextBytes, CtxSizeIn = (uint)context.Length };
                int result = Sys.Bpf(BpfCommand.ProgTestRun, ref attr);
                if (result < 0)
                    ThrowTestRunError(-result);
                return attr.RetVal;
            }
        }

        private void ThrowTestRunError(int errno)
        {
            string? hint = errno switch
            {
                Errno.ENOSPC => "the output buffer is smaller than the data or context the program returned",
                Errno.ENOTSUPP or Errno.EOPNOTSUPP => $"{Type} programs cannot be test-run",
                Errno.EINVAL => "input data or context is invalid for this program type",
                _ => null,
            };
            BpfErrors.Throw($"test-run {this}", errno, BpfCallKind.Other, hint);
        }
    }
}
