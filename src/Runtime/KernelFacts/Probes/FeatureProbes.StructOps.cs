using System;
using System.Collections.Concurrent;
using System.Threading;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    // struct_ops maps for a given kernel struct (tcp_congestion_ops, bpf_dummy_ops, sched_ext_ops…).
    public static partial class FeatureProbes
    {
        // Few names per process and not on a hot path: a dictionary is fine here. Made on first use, of boxes
        // (a class): FeatureProbes' other probes then never build it, and its code is the framework's shared,
        // precompiled one rather than a value-type instantiation ReadyToRun leaves to the JIT.
        private static ConcurrentDictionary<string, ProbeBox>? s_structOps;

        /// <summary>
        /// Whether struct_ops maps for the kernel struct <paramref name="kernelStruct"/> can be created: the
        /// kernel (or a module) must have the struct and its <c>bpf_struct_ops_&lt;name&gt;</c> value type, and
        /// accept an empty map of that value type. No program is loaded and nothing is registered.
        /// </summary>
        public static ProbeResult StructOps(string kernelStruct)
        {
            ArgumentException.ThrowIfNullOrEmpty(kernelStruct);
            var known = Volatile.Read(ref s_structOps);
            if (known is null)
            {
                Interlocked.CompareExchange(ref s_structOps, new ConcurrentDictionary<string, ProbeBox>(StringComparer.Ordinal), null);
                known = s_structOps!;
            }
            return known.GetOrAdd(kernelStruct, static name => new ProbeBox(ProbeStructOps(name))).Value;
        }

        private static ProbeResult ProbeStructOps(string kernelStruct)
        {
            string what = $"struct_ops maps for {kernelStruct}";
            if (!System.IO.File.Exists(KernelTypes.VmlinuxPath))
                return ProbeResult.No(what, $"{KernelTypes.VmlinuxPath} is missing");
            var type = StructOpsKernelType.Find(KernelTypes.Vmlinux, searchModules: true, kernelStruct);
            if (type is null)
                return ProbeResult.No(what, $"no kernel BTF has struct {kernelStruct} with a bpf_struct_ops_{kernelStruct} value type");
            // The kernel wants the creator's own BTF beside the kernel's value type, as a loader passes its object's.
            if (!TryLoadIntBtf(what, out var btf, out _, out var failure))
                return failure;
            using var owned = btf;
            using var modules = new ModuleBtfs();
            var options = new BpfMapCreateOptions
            {
                Type = BpfMapType.StructOps, KeySize = 4, ValueSize = (uint)type.ValueSize, MaxEntries = 1, Btf = btf,
                BtfVmlinuxValueTypeId = (uint)type.ValueTypeId,
                ValueTypeBtfObject = type.Module is null ? null : modules.Open(type.Module),
            };
            return ProbeMap(what, options);
        }
    }
}
