using System.Collections.Generic;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;

namespace BpfSkeleton
{
    // Explicit attach APIs for kprobe-type programs: uprobes, kprobes, syscalls, multi-probes.
    public sealed partial class BpfProgram
    {
        /// <summary>Attaches to function <paramref name="functionName"/> of <paramref name="binary"/> (a path, or a name like "libc.so.6").</summary>
        public UprobeLink AttachUprobe(string binary, string functionName, bool isReturn = false, int processId = -1, ulong cookie = 0)
            => UprobeLink.Attach(HandleForAttach("uprobe"), binary, functionName, isReturn, processId, cookie);

        /// <summary>
        /// Attaches to <paramref name="binary"/> (a path, or a library name like "libc.so.6") at the function or offset <paramref name="options"/> names.
        /// Throws <see cref="BpfException"/> when the binary or function is not found (ENOENT) or the kernel refuses.
        /// </summary>
        public UprobeLink AttachUprobe(string binary, UprobeOptions options)
            => UprobeLink.Attach(HandleForAttach("uprobe"), binary, options);

        /// <summary>Attaches as one uprobe.multi link (the program must come from a SEC("uprobe.multi…") section).</summary>
        public UprobeMultiLink AttachUprobeMulti(string binary, UprobeMultiOptions options)
            => UprobeMultiLink.Attach(HandleForAttach("uprobe.multi"), binary, options);

        /// <summary>
        /// Attaches to every call site of USDT probe <paramref name="provider"/>:<paramref name="name"/> in
        /// <paramref name="binary"/> (a path, or a name like "libc.so.6"), for process <paramref name="processId"/>
        /// (-1: every process; 0: this one). The program reads the arguments with usdt.bpf.h's bpf_usdt_arg() or
        /// BPF_USDT(), and the cookie with bpf_usdt_cookie(). A probe's semaphore is raised while attached.
        /// </summary>
        public UsdtLink AttachUsdt(int processId, string binary, string provider, string name, UsdtOptions? options = null)
        {
            HandleForAttach("usdt");
            return UsdtLink.Attach(this, processId, binary, provider, name, options);
        }

        /// <summary>
        /// Attaches to kernel function <paramref name="function"/> as a kprobe (or kretprobe, per <paramref name="options"/>).
        /// Throws <see cref="BpfException"/> when the function cannot be probed (ENOENT: no such symbol, or not traceable).
        /// </summary>
        public KprobeLink AttachKprobe(string function, KprobeOptions? options = null)
            => KprobeLink.Attach(HandleForAttach("kprobe"), function, options);

        /// <summary>Attaches to the kernel entry of a system call, e.g. "getpid" (ksyscall).</summary>
        public KprobeLink AttachKsyscall(string syscall, bool isReturn = false, ulong cookie = 0)
            => KprobeLink.AttachSyscall(HandleForAttach("ksyscall"), syscall, isReturn, cookie);

        /// <summary>Attaches as one kprobe.multi link (the program must come from a SEC("kprobe.multi…") section).</summary>
        public KprobeMultiLink AttachKprobeMulti(KprobeMultiOptions options)
            => KprobeMultiLink.Attach(HandleForAttach("kprobe.multi"), options);

        /// <summary>
        /// Attaches to every function in <paramref name="symbols"/> (names as in /proc/kallsyms) as one kprobe.multi link; kretprobes when <paramref name="isReturn"/>.
        /// </summary>
        public KprobeMultiLink AttachKprobeMulti(IReadOnlyList<string> symbols, bool isReturn = false)
            => AttachKprobeMulti(new KprobeMultiOptions { Symbols = symbols, IsReturn = isReturn });

        /// <summary>The loaded program, once the object is in a state that allows attaching.</summary>
        private BpfProgramHandle HandleForAttach(string hook)
        {
            if (Object.State is not (BpfObjectState.Loaded or BpfObjectState.Attached or BpfObjectState.Detached))
                Object.RequireState(BpfObjectState.Loaded, $"attach program '{Name}' ({hook})");
            return LoadedHandle;
        }
    }
}
