using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Resolves externs against the running kernel: <c>__kconfig</c> values into the .kconfig map's
    /// image, typed <c>__ksym</c> variables to their vmlinux BTF id, typeless ones to their kallsyms
    /// address, kfuncs to their BTF id. Weak externs that are missing resolve to zero.
    /// </summary>
    internal sealed class ExternResolver
    {
        private readonly BpfObject _owner;
        private readonly Func<BtfSpec> _kernelBtf;
        private Dictionary<string, ulong>? _kallsyms;

        public ExternResolver(BpfObject owner, Func<BtfSpec> kernelBtf)
        {
            _owner = owner;
            _kernelBtf = kernelBtf;
        }

        private string File_ => _owner.Spec.FileName;

        /// <summary>Writes every kconfig extern's value into the .kconfig initial image.</summary>
        public void FillKconfig(BpfGlobalData kconfig)
        {
            var image = kconfig.Spec.InitialData;
            var btf = _owner.Spec.Btf!;
            foreach (var extern_ in _owner.Spec.Externs)
            {
                if (extern_.Kind != ExternKind.Kconfig) continue;
                var target = image.AsSpan(extern_.Offset, extern_.Size);
                target.Clear();
                var raw = SpecialValue(extern_.Name) ?? KernelConfig.Get(extern_.Name);
                if (raw is null)
                {
                    if (extern_.IsWeak) continue;
                    throw new BpfLoadException(KernelConfig.IsAvailable || extern_.Name.StartsWith("LINUX_", StringComparison.Ordinal)
                        ? $"{File_}: extern '{extern_.Name}' is not set in this kernel's configuration; declare it __weak to default to 0"
                        : $"{File_}: extern '{extern_.Name}' needs the kernel configuration, but neither /proc/config.gz nor /boot/config-{KernelRelease.Current} is readable");
                }
                WriteKconfigValue(btf, extern_, raw, target);
            }
        }

        private static string? SpecialValue(string name) => name switch
        {
            "LINUX_KERNEL_VERSION" => KernelRelease.VersionCode.ToString(CultureInfo.InvariantCulture),
            "LINUX_HAS_BPF_COOKIE" => FeatureProbes.BpfCookie.Supported ? "y" : "n",
            // Syscall wrappers (pt_regs-taking __x64_sys_*) exist on x86-64 and arm64 since 4.17.
            "LINUX_HAS_SYSCALL_WRAPPER" => "y",
            _ => null,
        };

        private void WriteKconfigValue(BtfSpec btf, ExternSpec extern_, string raw, Span<byte> target)
        {
            var type = btf.GetType(btf.SkipModifiersAndTypedefs(extern_.TypeId));
            var what = $"{File_}: kconfig extern '{extern_.Name}' ({btf.GetTypeName(extern_.TypeId)})";
            switch (type.Kind)
            {
                case BtfKind.Int when type.Int.IsBool:
                    if (raw == "m") throw new BpfLoadException($"{what} is a bool but the kernel sets it to 'm' (module); declare it enum libbpf_tristate");
                    target[0] = raw == "y" ? (byte)1 : (byte)0;
                    return;
                case BtfKind.Enum when btf.GetTypeName(extern_.TypeId).Contains("tristate"):
                    WriteInteger(target, raw switch { "y" => 1, "m" => 2, _ => 0 });
                    return;
                case BtfKind.Array:
                    if (raw.Length < 2 || raw[0] != '"')
                        throw new BpfLoadException($"{what} is a char array but the kernel's value {raw} is not a string");
                    var text = System.Text.Encoding.UTF8.GetBytes(raw.Substring(1, raw.Length - 2));
                    if (text.Length >= target.Length)
                        throw new BpfLoadException($"{what}: the value \"{raw}\" does not fit {target.Length} bytes");
                    text.CopyTo(target);
                    return;
                case BtfKind.Int:
                case BtfKind.Enum:
                case BtfKind.Enum64:
                    if (raw == "y" || raw == "n" || raw == "m")
                    {
                        WriteInteger(target, raw == "y" ? 1 : raw == "m" ? 2 : 0);
                        return;
                    }
                    if (!TryParseInteger(raw, out var value))
                        throw new BpfLoadException($"{what}: the kernel's value {raw} is not a number");
                    WriteInteger(target, value);
                    return;
                default:
                    throw new BpfLoadException($"{what}: kconfig externs must be bool, tristate, an integer or a char array");
            }
        }

        private static bool TryParseInteger(string raw, out long value)
        {
            if (raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return long.TryParse(raw.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
            return long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        }

        private static void WriteInteger(Span<byte> target, long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            bytes.Slice(0, Math.Min(8, target.Length)).CopyTo(target);
        }

        /// <summary>LD_IMM64 of an extern variable: a kconfig value, a typed ksym (BTF id) or a typeless one (address).</summary>
        public void PatchVariable(List<BpfInstruction> instructions, int at, string name, string program)
        {
            var extern_ = Find(name);
            if (extern_.Kind == ExternKind.Kconfig)
            {
                var kconfig = _owner.Map(_owner.Spec.FindDataSectionMap(".kconfig")!.Name);
                InstructionPatcher.SetLoad64(instructions, at, BpfOpcodes.PseudoMapValue, kconfig.Map.Fd.DangerousGetFd(), extern_.Offset);
                return;
            }
            if (extern_.IsTyped)
            {
                var kernel = _kernelBtf();
                if (kernel.TryFindByName(name, BtfKind.Var, out var id))
                {
                    InstructionPatcher.SetLoad64(instructions, at, BpfOpcodes.PseudoBtfId, id, 0);
                    return;
                }
                if (!extern_.IsWeak)
                    throw new BpfLoadException($"{File_}: program '{program}': ksym '{name}' is not a variable in the kernel's BTF");
                InstructionPatcher.SetLoad64(instructions, at, 0, 0, 0);
                return;
            }
            var address = Kallsyms(name);
            if (address is null && !extern_.IsWeak)
                throw new BpfLoadException($"{File_}: program '{program}': ksym '{name}' is not in /proc/kallsyms");
            var value = address ?? 0;
            InstructionPatcher.SetLoad64(instructions, at, 0, unchecked((int)value), unchecked((int)(value >> 32)));
        }

        /// <summary>A kfunc call: src_reg = BPF_PSEUDO_KFUNC_CALL, imm = the kernel FUNC's BTF id.</summary>
        public void PatchCall(List<BpfInstruction> instructions, int at, string name, string program)
        {
            var extern_ = Find(name);
            var call = instructions[at];
            call.SourceRegister = BpfOpcodes.PseudoKfuncCall;
            call.Offset = 0;
            if (_kernelBtf().TryFindByName(name, BtfKind.Func, out var id))
                call.Immediate = id;
            else if (extern_.IsWeak)
                call.Immediate = 0; // the verifier drops the call when bpf_ksym_exists() guards it
            else
                throw new BpfLoadException($"{File_}: program '{program}' calls kfunc '{name}', which the kernel's BTF does not have");
            instructions[at] = call;
        }

        private ExternSpec Find(string name)
        {
            foreach (var extern_ in _owner.Spec.Externs)
                if (extern_.Name == name) return extern_;
            throw new BpfLoadException($"{File_}: no extern '{name}'");
        }

        private ulong? Kallsyms(string name)
        {
            _kallsyms ??= ReadKallsyms();
            return _kallsyms.TryGetValue(name, out var address) ? address : null;
        }

        private Dictionary<string, ulong> ReadKallsyms()
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var extern_ in _owner.Spec.Externs)
                if (extern_.Kind == ExternKind.KernelSymbol && !extern_.IsTyped) wanted.Add(extern_.Name);
            var found = new Dictionary<string, ulong>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines("/proc/kallsyms"))
            {
                var first = line.IndexOf(' ');
                var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
                if (second < 0) continue;
                var end = line.IndexOfAny(new[] { ' ', '\t' }, second + 1);
                var symbol = end < 0 ? line.Substring(second + 1) : line.Substring(second + 1, end - second - 1);
                if (wanted.Contains(symbol) && !found.ContainsKey(symbol) &&
                    ulong.TryParse(line.AsSpan(0, first), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address))
                    found[symbol] = address;
            }
            return found;
        }
    }
}
