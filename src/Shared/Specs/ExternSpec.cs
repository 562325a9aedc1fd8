namespace BpfSkeleton.Specs
{
    /// <summary>The kinds of <c>extern</c> a BPF object can declare.</summary>
    public enum ExternKind
    {
        /// <summary><c>extern T CONFIG_X __kconfig;</c> (and LINUX_KERNEL_VERSION etc.): a value in <c>.kconfig</c>.</summary>
        Kconfig,
        /// <summary><c>extern T sym __ksym;</c>: a kernel variable's address (typed: BTF id, typeless: kallsyms).</summary>
        KernelSymbol,
        /// <summary><c>extern int f(...) __ksym;</c>: a kfunc called through its kernel BTF id.</summary>
        KernelFunction,
    }

    /// <summary>An extern declared by the object, resolved by the loader against the running kernel.</summary>
    public sealed class ExternSpec
    {
        internal ExternSpec(string name, ExternKind kind, bool isWeak, int typeId, int offset, int size, bool isTyped)
        {
            Name = name;
            Kind = kind;
            IsWeak = isWeak;
            TypeId = typeId;
            Offset = offset;
            Size = size;
            IsTyped = isTyped;
        }

        /// <summary>The extern's C name, e.g. "CONFIG_HZ" or "bpf_task_acquire".</summary>
        public string Name { get; }

        /// <summary>What the extern refers to: a kconfig value, a kernel variable or a kfunc.</summary>
        public ExternKind Kind { get; }

        /// <summary><c>__weak</c>: a missing value resolves to zero instead of failing the load.</summary>
        public bool IsWeak { get; }

        /// <summary>The VAR's or FUNC's referenced type in the object's BTF (0 for typeless ksyms).</summary>
        public int TypeId { get; }

        /// <summary>Offset inside <c>.kconfig</c> for kconfig externs; 0 otherwise.</summary>
        public int Offset { get; }

        /// <summary>Size in bytes of the extern's value (kconfig) or variable; 0 for functions.</summary>
        public int Size { get; }

        /// <summary>For kernel symbols: declared with a real type (resolved by BTF id) rather than <c>void</c> (kallsyms).</summary>
        public bool IsTyped { get; }

        /// <summary>"name (Kind[, weak])" for messages.</summary>
        public override string ToString() => $"{Name} ({Kind}{(IsWeak ? ", weak" : "")})";
    }
}
