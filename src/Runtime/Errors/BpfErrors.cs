using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>What kind of call failed; decides how an ambiguous errno is read.</summary>
    internal enum BpfCallKind
    {
        /// <summary>Anything without special errno meanings.</summary>
        Other,
        /// <summary>
        /// Creating a kernel object (map, program, BTF, link): E2BIG means the attr carries fields
        /// this kernel does not know, so the kernel is too old for what was asked.
        /// </summary>
        Create,
        /// <summary>A map element operation: ENOENT is "no such key", E2BIG is "map full".</summary>
        Element,
    }

    /// <summary>The one place that turns an errno into the right exception and message.</summary>
    internal static class BpfErrors
    {
        internal const string PrivilegeHint = "needs CAP_BPF or root";

        /// <summary>
        /// What an EPERM means. For root holding CAP_BPF or CAP_SYS_ADMIN it is the kernel's policy (lockdown,
        /// an LSM, a disabled feature), not a missing privilege: saying "needs root" to root sends the user the
        /// wrong way. Root without those capabilities (a container, setpriv) is told so.
        /// </summary>
        /// <param name="refused">What the kernel refused, as in "this kernel does not allow …" ("Arena maps").</param>
        /// <param name="privilegeHint">The hint for a process without the privilege.</param>
        internal static string PermissionHint(string refused, string privilegeHint = PrivilegeHint)
        {
            return ProcessPrivileges.Current() switch
            {
                Privilege.PrivilegedRoot => $"refused although running as root: this kernel does not allow {refused} (lockdown, an LSM or a kernel policy)",
                Privilege.RootWithoutBpfCapability => $"{privilegeHint}: running as root, but without CAP_BPF or CAP_SYS_ADMIN (dropped by a container or setpriv?)",
                _ => privilegeHint,
            };
        }

        [DoesNotReturn]
        internal static void Throw(string operation, int errno, BpfCallKind kind = BpfCallKind.Other, string? hint = null)
            => throw Create(operation, errno, kind, hint);

        /// <summary>Throws for a negative syscall result (<c>-errno</c>); returns the result otherwise.</summary>
        internal static int Check(int result, string operation, BpfCallKind kind = BpfCallKind.Other, string? hint = null)
        {
            if (result < 0)
                Throw(operation, -result, kind, hint);
            return result;
        }

        internal static BpfException Create(string operation, int errno, BpfCallKind kind = BpfCallKind.Other, string? hint = null)
        {
            switch (errno)
            {
                case Errno.EPERM:
                case Errno.EACCES:
                    return new BpfPermissionException(operation, errno, hint ?? PermissionHint("this operation"));
                case Errno.EOPNOTSUPP:
                case Errno.ENOTSUPP:
                    return new BpfNotSupportedException(operation, errno, hint ?? "not supported by this kernel or for this object");
                case Errno.E2BIG when kind == BpfCallKind.Create:
                    return new BpfNotSupportedException(operation, errno,
                        hint ?? "the kernel does not know some of the requested attributes (kernel too old?)");
                case Errno.E2BIG when kind == BpfCallKind.Element:
                    return new BpfException(operation, errno, hint ?? "the map is full");
                case Errno.ENOENT when kind == BpfCallKind.Element:
                    return new BpfKeyNotFoundException(operation);
                default:
                    return new BpfException(operation, errno, hint);
            }
        }

        /// <summary>strerror text, with a readable text for the kernel-internal ENOTSUPP.</summary>
        internal static string Description(int errno)
            => errno == Errno.ENOTSUPP ? "Operation not supported" : Marshal.GetPInvokeErrorMessage(errno);
    }
}
