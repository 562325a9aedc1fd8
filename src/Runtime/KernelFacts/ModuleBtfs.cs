using System;
using System.Collections.Generic;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>
    /// Kernel module BTF objects opened for one load: a struct_ops type, kfunc or ksym that lives
    /// in a module is referenced by the module's BTF fd (attach_btf_obj_fd, value_type_btf_obj_fd,
    /// ld_imm64's second imm, or an fd_array slot). Found by name among the kernel's BTF ids.
    /// </summary>
    internal sealed class ModuleBtfs : IDisposable
    {
        private readonly Dictionary<string, BtfHandle> _open = new(StringComparer.Ordinal);

        public BtfHandle Open(string module)
        {
            if (_open.TryGetValue(module, out var handle)) return handle;
            foreach (var id in BpfObjectIds.Btfs())
            {
                BtfHandle candidate;
                try { candidate = BtfHandle.FromId(id); }
                catch (BpfException) { continue; } // freed meanwhile
                if (IsKernelModule(candidate, module))
                {
                    _open[module] = candidate;
                    return candidate;
                }
                candidate.Dispose();
            }
            throw new BpfLoadException($"kernel module '{module}' has BTF in /sys/kernel/btf but no loaded BTF object of that name was found");
        }

        private static unsafe bool IsKernelModule(BtfHandle btf, string module)
        {
            byte* name = stackalloc byte[64];
            var info = new BtfInfoNative { Name = (ulong)name, NameLength = 64 };
            BpfObjects.GetInfo(btf.Fd, ref info, "get info of kernel BTF");
            return info.KernelBtf != 0 && ObjectName.Read(new System.ReadOnlySpan<byte>(name, 64)) == module;
        }

        public void Dispose()
        {
            foreach (var handle in _open.Values) handle.Dispose();
            _open.Clear();
        }
    }
}
