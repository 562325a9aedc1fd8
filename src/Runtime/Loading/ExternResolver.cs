using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Resolves externs against the running kernel as libbpf does: <c>__kconfig</c> values into
    /// the .kconfig map's image; typed <c>__ksym</c> variables to their kernel BTF id (types
    /// checked for compatibility), typeless ones to their kallsyms address; kfuncs to their
    /// kernel BTF FUNC id (prototype checked). A missing weak extern resolves to zero, so a
    /// guarded use (<c>if (&amp;sym)</c>, <c>bpf_ksym_exists()</c>) verifies as dead code.
    /// Kernel symbols always come from the running kernel, even with a custom CO-RE target BTF.
    /// </summary>
    internal sealed class ExternResolver
    {
        private readonly ILoadSource _owner;
        // Made on the first extern: a dictionary of a value type is code ReadyToRun leaves to the JIT, and most objects have none.
        private Dictionary<string, KernelSymbol>? _symbols;
        private Dictionary<string, ulong>? _kallsyms;

        private readonly ILoadBackend _backend;

        public ExternResolver(ILoadSource owner, ILoadBackend backend)
        {
            _owner = owner;
            _backend = backend;
        }

        private string File_ => _owner.Spec.FileName;

        /// <summary>A resolved kernel symbol: BTF id (0 when unresolved) or address.</summary>
        private readonly record struct KernelSymbol(int BtfId, ulong Address, string? Module = null);

        /// <summary>The .kconfig map's image: the section's initial bytes (left as opened) with every kconfig extern's value written in.</summary>
        public byte[] KconfigImage(ILoadGlobalData kconfig) => KconfigImage(_owner, kconfig);

        /// <summary>The .kconfig image for the running kernel (also where a light skeleton's loader runs).</summary>
        public static byte[] KconfigImage(ILoadSource owner, ILoadGlobalData kconfig)
        {
            string file = owner.Spec.FileName;
            var image = (byte[])kconfig.Spec.Image.Clone();
            var btf = owner.Spec.Btf!;
            var given = owner.Options.KernelConfig is { } text ? KernelConfig.ParseUserText(text, file) : null;
            foreach (var extern_ in owner.Spec.Externs)
            {
                if (extern_.Kind != ExternKind.Kconfig) continue;
                var target = image.AsSpan(extern_.Offset, extern_.Size);
                target.Clear();
                var value = KconfigValue.For(btf, extern_.TypeId, $"{file}: kconfig extern '{extern_.Name}'");
                if (extern_.Name.StartsWith("LINUX_", StringComparison.Ordinal))
                {
                    var special = SpecialValue(extern_.Name, owner);
                    if (special is null)
                    {
                        if (extern_.IsWeak) continue;
                        throw new BpfLoadException($"{file}: kconfig extern '{extern_.Name}' is not a LINUX_ value the loader knows (LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER); declare it __weak to default to 0");
                    }
                    value.WriteNumber(special.Value, target);
                    continue;
                }
                if (!extern_.Name.StartsWith("CONFIG_", StringComparison.Ordinal))
                    throw new BpfLoadException($"{file}: kconfig extern '{extern_.Name}' must be named CONFIG_* or LINUX_*");
                var raw = given is not null && given.TryGetValue(extern_.Name, out var chosen) ? chosen : KernelConfig.Get(extern_.Name);
                if (raw is null)
                {
                    if (extern_.IsWeak) continue;
                    throw new BpfLoadException(KernelConfig.IsAvailable
                        ? $"{file}: kconfig extern '{extern_.Name}' is not set in this kernel's configuration; declare it __weak to default to 0"
                        : $"{file}: kconfig extern '{extern_.Name}' needs the kernel configuration, but neither /proc/config.gz nor /boot/config-{KernelRelease.Current} is readable");
                }
                value.WriteConfig(raw, target);
            }
            return image;
        }

        private static ulong? SpecialValue(string name, ILoadSource owner) => name switch
        {
            "LINUX_KERNEL_VERSION" => KernelRelease.VersionCode,
            "LINUX_HAS_BPF_COOKIE" => owner.UsesBpfCookies ? 1ul : 0ul,
            "LINUX_HAS_SYSCALL_WRAPPER" => SyscallWrapper.Value ? 1ul : 0ul,
            _ => null,
        };

        /// <summary>Syscalls are wrapped (entered through __&lt;arch&gt;_sys_*, taking pt_regs) when the kernel has __&lt;arch&gt;_sys_bpf.</summary>
        private static readonly Lazy<bool> SyscallWrapper = new(() =>
        {
            var prefix = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
            {
                System.Runtime.InteropServices.Architecture.X64 => "x64",
                System.Runtime.InteropServices.Architecture.X86 => "ia32",
                System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
                System.Runtime.InteropServices.Architecture.S390x => "s390x",
                System.Runtime.InteropServices.Architecture.RiscV64 => "riscv",
                _ => null,
            };
            return prefix is not null && Kallsyms.Contains($"__{prefix}_sys_bpf");
        });

        /// <summary>LD_IMM64 of an extern: a kconfig value's address, a typed ksym or kfunc (BTF id), or a typeless ksym (address).</summary>
        public void PatchVariable(LinkedProgram linked, int at, string name)
        {
            var program = linked.Entry.Name;
            var extern_ = Find(name);
            if (extern_.Kind == ExternKind.Kconfig)
            {
                int kconfig = _owner.Map(_owner.Spec.FindDataSectionMap(".kconfig")!.Name).Index;
                if (!_backend.Exists(KernelRef.Map(kconfig)))
                    throw new BpfLoadException($"{File_}: program '{program}' uses kconfig extern '{name}', but the .kconfig map is not created (autocreate is off)");
                InstructionPatcher.SetMapLoad64(linked, at, BpfOpcodes.PseudoMapValue, kconfig, extern_.Offset);
                return;
            }
            if (_backend.DefersKernelFacts)
            {
                // As a missing weak ksym: LD_IMM64 0; the kernel the load runs on fills in the rest.
                InstructionPatcher.SetLoad64(linked.Instructions, at, 0, 0, 0);
                linked.KernelSymbols.Add(new KernelSymbolUse(at, extern_.IsTyped ? KernelSymbolKind.TypedVariable : KernelSymbolKind.Address, name, extern_.IsWeak));
                return;
            }
            var symbol = Resolve(extern_, program);
            if (extern_.IsTyped && symbol.BtfId != 0)
            {
                // imm of the second half is the module BTF fd; 0 means vmlinux.
                InstructionPatcher.SetLoad64(linked.Instructions, at, BpfOpcodes.PseudoBtfId, symbol.BtfId, 0);
                if (symbol.Module is not null)
                    linked.Fixups.Add(new FdFixup(at, FdField.SecondImmediate, KernelRef.ModuleBtf(symbol.Module)));
                return;
            }
            InstructionPatcher.SetLoad64(linked.Instructions, at, 0, unchecked((int)symbol.Address), unchecked((int)(symbol.Address >> 32)));
        }

        /// <summary>A kfunc call: src_reg = BPF_PSEUDO_KFUNC_CALL, imm = the kernel FUNC's BTF id (0 for a missing weak kfunc, which the verifier drops when dead).</summary>
        public void PatchCall(LinkedProgram linked, int at, string name)
        {
            var program = linked.Entry.Name;
            var extern_ = Find(name);
            if (extern_.Kind != ExternKind.KernelFunction)
                throw new BpfLoadException($"{File_}: program '{program}' calls extern '{name}', which is not a function");
            if (_backend.DefersKernelFacts)
            {
                ref var deferred = ref linked.Instructions[at];
                deferred.SourceRegister = BpfOpcodes.PseudoKfuncCall;
                deferred.Offset = 0;
                deferred.Immediate = 0;
                linked.KernelSymbols.Add(new KernelSymbolUse(at, KernelSymbolKind.KfuncCall, name, extern_.IsWeak));
                return;
            }
            var symbol = Resolve(extern_, program);
            ref var call = ref linked.Instructions[at];
            call.SourceRegister = BpfOpcodes.PseudoKfuncCall;
            call.Offset = symbol.Module is null ? (short)0 : FdArraySlot(linked.FdArray, KernelRef.ModuleBtf(symbol.Module)); // 0 = vmlinux
            call.Immediate = symbol.BtfId;
        }

        private KernelSymbol Resolve(ExternSpec extern_, string program)
        {
            if (_symbols is not null && _symbols.TryGetValue(extern_.Name, out var known)) return known;
            KernelSymbol symbol;
            if (extern_.Kind == ExternKind.KernelFunction) symbol = ResolveFunction(extern_, program);
            else if (extern_.IsTyped) symbol = ResolveTypedVariable(extern_, program);
            else symbol = ResolveAddress(extern_, program);
            (_symbols ??= new Dictionary<string, KernelSymbol>(StringComparer.Ordinal))[extern_.Name] = symbol;
            return symbol;
        }

        private KernelSymbol ResolveFunction(ExternSpec extern_, string program)
        {
            var local = _owner.Spec.Btf!;
            if (!TryFindKernel(extern_.Name, BtfKind.Func, out var kernel, out var id, out var module))
            {
                if (extern_.IsWeak) return default;
                throw new BpfLoadException($"{File_}: program '{program}' calls kfunc '{extern_.Name}', which the kernel's BTF does not have; declare it __weak and guard it with bpf_ksym_exists()");
            }
            var kernelProto = kernel.GetType(id).TypeId;
            if (!CoreCompat.TypesCompatible(local, extern_.TypeId, kernel, kernelProto))
            {
                if (extern_.IsWeak) return default;
                throw new BpfLoadException(
                    $"{File_}: kfunc '{extern_.Name}' is declared as {local.GetTypeName(extern_.TypeId)}, but the kernel's is {kernel.GetTypeName(kernelProto)}");
            }
            return new KernelSymbol(id, 0, module);
        }

        private KernelSymbol ResolveTypedVariable(ExternSpec extern_, string program)
        {
            var local = _owner.Spec.Btf!;
            if (!TryFindKernel(extern_.Name, BtfKind.Var, out var kernel, out var id, out var module))
            {
                if (extern_.IsWeak) return default;
                throw new BpfLoadException($"{File_}: program '{program}': ksym '{extern_.Name}' is not a variable in the kernel's BTF; declare it __weak to default to NULL");
            }
            var localType = local.SkipModifiersAndTypedefs(extern_.TypeId);
            var kernelType = kernel.SkipModifiersAndTypedefs(kernel.GetType(id).TypeId);
            if (!CoreCompat.TypesCompatible(local, localType, kernel, kernelType))
                throw new BpfLoadException(
                    $"{File_}: ksym '{extern_.Name}' is declared as {local.GetTypeName(localType)}, but the kernel's is {kernel.GetTypeName(kernelType)}");
            return new KernelSymbol(id, 0, module);
        }

        private KernelSymbol ResolveAddress(ExternSpec extern_, string program)
        {
            if (_kallsyms is null)
            {
                var wanted = new List<string>();
                foreach (var e in _owner.Spec.Externs)
                    if (e.Kind == ExternKind.KernelSymbol && !e.IsTyped) wanted.Add(e.Name);
                _kallsyms = Kallsyms.Find(wanted);
            }
            if (_kallsyms.TryGetValue(extern_.Name, out var address)) return new KernelSymbol(0, address);
            if (extern_.IsWeak) return default;
            throw new BpfLoadException($"{File_}: program '{program}': ksym '{extern_.Name}' is not in /proc/kallsyms; declare it __weak to default to NULL");
        }

        /// <summary>vmlinux first, then module BTF (split on vmlinux, so ids are the kernel's).</summary>
        private static bool TryFindKernel(string name, BtfKind kind, out BtfSpec kernel, out int id, out string? module)
        {
            kernel = KernelTypes.Vmlinux;
            module = null;
            if (kernel.TryFindByName(name, kind, out id)) return true;
            foreach (var moduleName in KernelTypes.ModuleNames())
            {
                if (KernelTypes.Module(moduleName) is not { } moduleBtf || !moduleBtf.TryFindByName(name, kind, out id) || id < moduleBtf.FirstTypeId) continue;
                kernel = moduleBtf;
                module = moduleName;
                return true;
            }
            return false;
        }

        /// <summary>A kfunc call's insn->off indexes the program's fd_array; slot 0 is reserved for vmlinux.</summary>
        private static short FdArraySlot(List<KernelRef> fdArray, KernelRef module)
        {
            if (fdArray.Count == 0) fdArray.Add(KernelRef.None);
            var slot = fdArray.IndexOf(module);
            if (slot <= 0)
            {
                fdArray.Add(module);
                slot = fdArray.Count - 1;
            }
            return checked((short)slot);
        }

        private ExternSpec Find(string name)
        {
            foreach (var extern_ in _owner.Spec.Externs)
                if (extern_.Name == name) return extern_;
            throw new BpfLoadException($"{File_}: no extern '{name}'");
        }
    }
}
