using System;
using System.Buffers.Binary;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// A light skeleton's struct_ops maps, matched at run time to the running kernel's structs exactly as a regular
    /// load matches them (members by name, kind and size, in any order; the shadow edits made since open): the
    /// loader's value sizes, value type ids, attach ids and member indexes are this kernel's, given in the run's inputs.
    /// This reads the kernel's BTF, which the light path otherwise never does; only struct_ops objects pay for it.
    /// </summary>
    internal static class LightStructOps
    {
        public static void Bind(ILoadSource owner, BpfLoaderImage image, LoadPlan plan, byte[] inputs)
        {
            var vmlinux = KernelTypes.For(owner.Options.KernelBtfPath);
            foreach (var field in image.StructOpsMaps)
            {
                var map = owner.Maps[field.Subject];
                var structOps = owner.StructOps(map.Name);
                var value = StructOpsBinder.Bind(structOps, plan, owner.Spec.Btf!, vmlinux, searchModules: owner.Options.KernelBtfPath is null);
                if (value.Type.Module is { } module)
                    throw new BpfLoadException($"{owner.Spec.FileName}: struct_ops map '{map.Name}': the kernel's struct {structOps.Spec.KernelTypeName} is in module '{module}', which the light skeleton cannot reach yet; use the regular skeleton");
                plan.StructOps[structOps.Index] = value;
                BinaryPrimitives.WriteUInt32LittleEndian(inputs.AsSpan(field.First), (uint)value.Type.ValueSize);
                BinaryPrimitives.WriteUInt32LittleEndian(inputs.AsSpan(field.Second), (uint)value.Type.ValueTypeId);
            }
            foreach (var field in image.StructOpsPrograms)
            {
                // A program the maps no longer use loads for the member it was recorded for; it serves nothing.
                if (plan.StructOpsBindings[field.Subject] is not { } binding) continue;
                BinaryPrimitives.WriteUInt32LittleEndian(inputs.AsSpan(field.First), (uint)binding.StructTypeId);
                BinaryPrimitives.WriteUInt32LittleEndian(inputs.AsSpan(field.Second), (uint)binding.MemberIndex);
            }
            for (int i = 0; i < plan.StructOpsBindings.Length; i++)
                if (plan.StructOpsBindings[i] is not null && image.ProgramSlots[i] < 0)
                    throw new BpfLoadException(
                        $"{owner.Spec.FileName}: struct_ops program '{owner.Programs[i].Name}' is set in a struct_ops map, but the light skeleton's loader was recorded without it; set the slot in the object (the build records the object's own slots) or use the regular skeleton");
        }
    }
}
