using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// One link holding kprobes on many kernel functions (BPF_TRACE_KPROBE_MULTI, 5.18+, built on
    /// fprobe). The program must be loaded with expected attach type <see cref="BpfAttachType.TraceKProbeMulti"/>.
    /// </summary>
    public sealed unsafe class KprobeMultiLink : BpfLink
    {
        /// <summary>BPF_F_KPROBE_MULTI_RETURN.</summary>
        internal const uint ReturnFlag = 1;

        private KprobeMultiLink(BpfFileDescriptor fd, int count) : base(fd) => Count = count;

        /// <summary>How many functions the link probes.</summary>
        public int Count { get; }

        /// <summary>
        /// Attaches <paramref name="program"/> to every function <paramref name="options"/> names, in one link.
        /// Throws <see cref="ArgumentException"/> unless exactly one of symbols, pattern or addresses is given,
        /// <see cref="BpfException"/> when the kernel refuses (ENOENT: a function cannot be probed; EOPNOTSUPP: no fprobe support).
        /// </summary>
        public static KprobeMultiLink Attach(BpfProgramHandle program, KprobeMultiOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            int given = (options.Symbols is null ? 0 : 1) + (options.Pattern is null ? 0 : 1) + (options.Addresses is null ? 0 : 1);
            if (given != 1)
                throw new ArgumentException("Give exactly one of Symbols, Pattern or Addresses.", nameof(options));
            IReadOnlyList<string>? symbols = options.Pattern is { } pattern ? TraceableFunctions.Match(pattern) : options.Symbols;
            ulong[]? addresses = options.Addresses is null ? null : new List<ulong>(options.Addresses).ToArray();
            int count = symbols?.Count ?? addresses!.Length;
            if (count == 0)
                throw new ArgumentException("A kprobe.multi link needs at least one function.", nameof(options));
            if (options.Cookies is not null && options.Cookies.Count != count)
                throw new ArgumentException($"Cookies has {options.Cookies.Count} entries for {count} functions.", nameof(options));
            string operation = $"attach {program} as {(options.IsReturn ? "kretprobe" : "kprobe")}.multi to {Describe(options, count)}";

            ulong[]? cookies = options.Cookies is null ? null : new List<ulong>(options.Cookies).ToArray();
            IntPtr[] names = Array.Empty<IntPtr>();
            try
            {
                if (symbols is not null)
                {
                    names = new IntPtr[symbols.Count];
                    for (int i = 0; i < names.Length; i++)
                        names[i] = Marshal.StringToCoTaskMemUTF8(symbols[i]);
                }
                fixed (IntPtr* namesPointer = names)
                fixed (ulong* addressesPointer = addresses)
                fixed (ulong* cookiesPointer = cookies)
                {
                    var attr = BuildAttr(AttachTypeOf(program), symbols is null ? 0 : (ulong)namesPointer, (ulong)addressesPointer, (ulong)cookiesPointer, (uint)count, options.IsReturn);
                    var fd = Create(program.Fd, 0, AttachTypeOf(program), 0, attr, operation, Hint);
                    return new KprobeMultiLink(fd, count);
                }
            }
            finally
            {
                foreach (IntPtr name in names)
                    Marshal.FreeCoTaskMem(name);
            }
        }

        /// <summary>The link_create tail for kprobe_multi: either symbol-name or address array, cookies optional.</summary>
        internal static LinkCreateAttr BuildAttr(BpfAttachType attachType, ulong symbols, ulong addresses, ulong cookies, uint count, bool isReturn)
            => new()
            {
                AttachType = (uint)attachType,
                KprobeMultiFlags = isReturn ? ReturnFlag : 0,
                KprobeMultiCount = count,
                KprobeMultiSymbols = symbols,
                KprobeMultiAddresses = addresses,
                KprobeMultiCookies = cookies,
            };

        /// <summary>kprobe.session programs (loaded for TraceKProbeSession) attach as sessions; all others as kprobe.multi.</summary>
        private static BpfAttachType AttachTypeOf(BpfProgramHandle program)
            => program.ExpectedAttachType == BpfAttachType.TraceKProbeSession ? BpfAttachType.TraceKProbeSession : BpfAttachType.TraceKProbeMulti;

        private static string Describe(KprobeMultiOptions options, int count)
            => options.Pattern is { } pattern ? $"'{pattern}' ({count} functions)" : $"{count} functions";

        /// <summary>The kernel answers EOPNOTSUPP when it was built without fprobe, which kprobe.multi runs on.</summary>
        internal static string? Hint(int errno) => errno switch
        {
            Errno.EOPNOTSUPP or Errno.ENOTSUPP => FeatureProbes.FprobeMissing(),
            Errno.EINVAL => "the program must be loaded with expected attach type TraceKProbeMulti (SEC(\"kprobe.multi\"))",
            Errno.ENOENT or Errno.ESRCH => "a function is not traceable (see available_filter_functions)",
            _ => LinkHint(errno),
        };
    }
}
