using System;
using System.Buffers.Binary;
using BpfSkeleton.Interop;
using BpfSkeleton.Links;

namespace BpfSkeleton
{
    /// <summary>
    /// Registers a loaded struct_ops map, as libbpf's bpf_map__attach_struct_ops does: the kernel
    /// value (data members copied at load, program fds placed now) is written to the map, which
    /// for plain maps is the registration itself; <c>.struct_ops.link</c> maps then get a link.
    /// </summary>
    internal static class StructOpsRegistration
    {
        public static BpfLink Register(BpfStructOpsMap structOps)
        {
            var map = structOps.Map.Map;
            WriteValue(structOps);
            return structOps.IsLink
                ? StructOpsLink.Attach(map)
                : new StructOpsMapRegistration(map);
        }

        /// <summary>Writes the kernel value with current program fds. A link map whose value is already set answers EBUSY, which is fine.</summary>
        internal static void WriteValue(BpfStructOpsMap structOps)
        {
            var kernelValue = structOps.KernelValue ?? throw new InvalidOperationException($"struct_ops '{structOps.Name}' is not loaded");
            var value = (byte[])kernelValue.Value.Clone();
            foreach (var (member, offset) in kernelValue.ProgramPlacements)
            {
                var program = structOps.GetProgram(member)!;
                BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(offset), (ulong)program.Fd.DangerousGetFd());
            }
            Span<byte> key = stackalloc byte[4];
            try
            {
                structOps.Map.Map.Update(key, value);
            }
            catch (BpfException e) when (structOps.IsLink && e.Errno == Interop.Errno.EBUSY)
            {
                // Set by an earlier registration; the kernel never lets a struct_ops value change.
            }
            catch (BpfException e) when (!structOps.IsLink && e.Errno == Interop.Errno.EBUSY)
            {
                // Unregistering a plain map frees its kernel value for good; the map cannot take another.
                throw new BpfException($"register struct_ops '{structOps.Name}' ({structOps.TypeName})", e.Errno,
                    "a plain .struct_ops map registers once: it was registered and unregistered (Detach), and the kernel does not take it again; " +
                    "declare it SEC(\".struct_ops.link\") to detach and attach again, or open the object again");
            }
            catch (BpfException e) when (e.Errno == Interop.Errno.EINVAL)
            {
                // The subsystem's own validation (e.g. tcp_validate_congestion_control) refused the value and
                // said why only in dmesg: name what is zero, and what the type is known to need.
                throw new BpfException($"register struct_ops '{structOps.Name}' ({structOps.TypeName})", e.Errno,
                    $"the kernel's validation of {structOps.TypeName} refused the value; members left zero: {ZeroMembers(structOps)}" +
                    (KnownRequirements(structOps.TypeName) is { } needs ? $"; {structOps.TypeName} needs {needs}" : "; the kernel log (dmesg) may say more"));
            }
            catch (BpfException e) when (e.Errno == Interop.Errno.EEXIST && !structOps.IsLink)
            {
                throw new BpfLoadException(
                    $"{structOps.Object.Spec.FileName}: register struct_ops '{structOps.Name}' ({structOps.TypeName}): the kernel refused with EEXIST — something with the same name (e.g. a congestion control called '{RegisteredName(structOps)}') is already registered", e);
            }
        }

        /// <summary>The members the kernel will see as zero: function pointers without a program, data members of zero bytes.</summary>
        private static string ZeroMembers(BpfStructOpsMap structOps)
        {
            var zero = new System.Collections.Generic.List<string>();
            var match = structOps.KernelMatch;
            foreach (var member in structOps.Members)
            {
                if (match is not null && !match.Members[member.Index].InKernel) continue;
                bool isZero = member.IsFunctionPointer
                    ? structOps.Spec.GetProgram(member) is null
                    : structOps.ReadMember(member).IndexOfAnyExcept((byte)0) < 0;
                if (isZero) zero.Add(member.Name);
            }
            return zero.Count == 0 ? "none" : string.Join(", ", zero);
        }

        /// <summary>What a struct_ops type's registration is known to check, for the error message.</summary>
        private static string? KnownRequirements(string typeName) => typeName switch
        {
            "tcp_congestion_ops" => "a non-empty name, ssthresh, undo_cwnd, and cong_avoid or cong_control",
            "sched_ext_ops" => "a non-empty name",
            _ => null,
        };

        private static string RegisteredName(BpfStructOpsMap structOps)
        {
            var member = structOps.Spec.FindMember("name");
            if (member is null) return "?";
            var bytes = structOps.ReadMember(member);
            var end = bytes.IndexOf((byte)0);
            return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes.Slice(0, end));
        }
    }
}
