using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// Runs a light skeleton's loader for an opened object: one map holding the loader's data (with the
    /// object's current global data images), one sleepable syscall program, one BPF_PROG_RUN. The kernel makes
    /// every map and program; their fds come back in the run's context and become the object's loaded state.
    /// </summary>
    internal static unsafe class LoaderRun
    {
        private const int FailureLogSize = 4 * 1024 * 1024;

        public static LoadedState Load(BpfObject owner, BpfLoaderImage image)
        {
            CheckRecordedFrom(owner, image);
            var data = (byte[])image.Data.Clone();
            var plan = new LoadPlan(owner);
            if (image.StructOpsMaps.Length > 0)
                LightStructOps.Bind(owner, image, plan, data);
            var programKinds = image.ProgramKinds;
            if (image.UsdtPrograms.Length > 0 && FeatureProbes.UprobeMultiLink.Supported)
            {
                programKinds = (int[])programKinds.Clone();
                foreach (var field in image.UsdtPrograms)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(field.First), (uint)BpfAttachType.TraceUProbeMulti);
                    programKinds[field.Subject] = BpfLoaderImage.ProgramKind((BpfProgramType)(programKinds[field.Subject] & 0xffff), BpfAttachType.TraceUProbeMulti);
                }
            }
            byte[]? kconfig = null;
            int kconfigMap = -1;
            foreach (var dataImage in image.DataImages)
            {
                var current = CurrentImage(owner, dataImage, out bool isKconfig);
                if (isKconfig) (kconfig, kconfigMap) = (current, dataImage.Map);
                current.CopyTo(data.AsSpan(dataImage.Offset, dataImage.Length));
            }

            var context = new byte[LoaderContext.Size(image.SlotCount)];
            int failed = Run(image, data, context, log: null, logLevel: 0);
            if (failed == 0)
            {
                var state = Adopt(owner, image, context, plan, programKinds);
                if (kconfigMap >= 0 && state.Maps[kconfigMap] is { } map) map.Image = kconfig;
                return state;
            }

            // Every fd the loader made is closed again; run once more with a log to say why the step failed.
            var step = image.Steps[failed - 1];
            int errno = -BitConverter.ToInt32(context, LoaderContext.Error);
            string log = "";
            if (step.Kind is LoaderStepKind.LoadProgram or LoaderStepKind.LoadBtf)
            {
                var buffer = new byte[FailureLogSize];
                int again = Run(image, data, context, buffer, Math.Max(owner.Options.VerifierLogLevel, 1u));
                if (again == failed)
                {
                    errno = -BitConverter.ToInt32(context, LoaderContext.Error);
                    log = KernelLog.TextOf(buffer);
                }
            }
            string operation = $"{owner.Spec.FileName}: light skeleton loader, step {failed} of {image.Steps.Length}: {step.Description}";
            if (log.Length > 0 && !(errno == Errno.EPERM && KernelLog.IsOnlyStatistics(log)))
                throw new BpfVerifierException(operation, errno, log, errno == Errno.ENOSPC);
            throw BpfErrors.Create(operation, errno, BpfCallKind.Create);
        }

        private static void CheckRecordedFrom(BpfObject owner, BpfLoaderImage image)
        {
            bool same = image.MapNames.Length == owner.Maps.Count && image.ProgramNames.Length == owner.Programs.Count;
            for (int i = 0; same && i < image.MapNames.Length; i++) same = image.MapNames[i] == owner.Maps[i].Name;
            for (int i = 0; same && i < image.ProgramNames.Length; i++) same = image.ProgramNames[i] == owner.Programs[i].Name;
            if (!same)
                throw new BpfLoadException(
                    $"{owner.Spec.FileName}: the loader was recorded from another object ('{image.ObjectName}', {image.MapNames.Length} maps, {image.ProgramNames.Length} programs); record it again from this one");
            // The loader makes what it was recorded to make: a choice changed since cannot be honoured.
            foreach (var map in owner.Maps)
            {
                bool wanted = map.AutoCreate && map.Spec.Origin != Specs.MapOrigin.InnerTemplate;
                if (wanted != image.MapSlots[map.Index] >= 0)
                    throw new BpfLoadException(
                        $"{owner.Spec.FileName}: map '{map.Name}' has autocreate {(wanted ? "on" : "off")}, but the light skeleton's loader was recorded with it {(wanted ? "off" : "on")}; record the loader with the same choice");
            }
            foreach (var program in owner.Programs)
                if (!program.IsStructOps && program.AutoLoad != image.ProgramSlots[program.Index] >= 0)
                    throw new BpfLoadException(
                        $"{owner.Spec.FileName}: program '{program.Name}' has autoload {(program.AutoLoad ? "on" : "off")}, but the light skeleton's loader was recorded with it {(program.AutoLoad ? "off" : "on")}; record the loader with the same choice");
        }

        /// <summary>
        /// The global data the user has set since open, in place of the recorded initial value; for .kconfig, the
        /// values of the kernel the loader runs on.
        /// </summary>
        private static byte[] CurrentImage(BpfObject owner, LoaderDataImage dataImage, out bool isKconfig)
        {
            var map = owner.Maps[dataImage.Map];
            foreach (var data in owner.GlobalData)
            {
                if (data.Map != map) continue;
                isKconfig = data.Spec.Kind == Specs.DataSectionKind.Kconfig;
                var current = isKconfig ? ExternResolver.KconfigImage(owner, data) : data.Spec.Image;
                return current.Length == dataImage.Length ? current
                    : throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds {current.Length} bytes, but the loader recorded {dataImage.Length}; record it again");
            }
            throw new BpfLoadException($"{owner.Spec.FileName}: the loader writes map '{map.Name}' as global data, but it is not global data here; record it again");
        }

        /// <summary>Runs the loader once; returns 0, or the failed step's number (every fd the loader made is closed again).</summary>
        private static int Run(BpfLoaderImage image, byte[] data, byte[] context, byte[]? log, uint logLevel)
        {
            context.AsSpan().Clear();
            for (int slot = 0; slot < image.SlotCount; slot++)
                BitConverter.TryWriteBytes(context.AsSpan(LoaderContext.Fd(slot)), -1);
            using var dataMap = BpfMap.Create(new BpfMapCreateOptions
            {
                Type = BpfMapType.Array,
                Name = "__loader.map",
                KeySize = 4,
                ValueSize = (uint)data.Length,
                MaxEntries = 1,
            });
            Span<byte> key = stackalloc byte[4];
            key.Clear();
            dataMap.Update(key, data);
            var code = (ulong[])image.Instructions.Clone();
            var address = MemoryMarshalInstructions(code);
            address[LoaderRecorder.DataAddressInstruction].Immediate = dataMap.Fd.DangerousGetFd();
            using var loader = BpfProgramHandle.Load(new BpfProgramLoadOptions
            {
                Type = BpfProgramType.Syscall,
                Name = "__loader.prog",
                License = "Dual MIT/GPL",
                Flags = BpfProgramLoadFlags.Sleepable,
                Instructions = code,
            });
            fixed (byte* logBuffer = log)
            {
                // The buffer stays pinned through the run below: the kernel writes the log while the loader runs.
                if (log is not null)
                {
                    BitConverter.TryWriteBytes(context.AsSpan(LoaderContext.LogBuffer), (ulong)logBuffer);
                    BitConverter.TryWriteBytes(context.AsSpan(LoaderContext.LogSize), (uint)log.Length);
                    BitConverter.TryWriteBytes(context.AsSpan(LoaderContext.LogLevel), logLevel);
                }
                uint result = loader.RunOnContext(context);
                return result == 0 ? 0 : BitConverter.ToInt32(context, LoaderContext.FailedStep);
            }
        }

        private static Span<Specs.BpfInstruction> MemoryMarshalInstructions(ulong[] code)
            => System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, Specs.BpfInstruction>(code.AsSpan());

        /// <summary>The fds the loader made become the object's loaded state; on any failure every one is closed.</summary>
        private static LoadedState Adopt(BpfObject owner, BpfLoaderImage image, byte[] context, LoadPlan plan, int[] programKinds)
        {
            var fds = new BpfFileDescriptor?[image.SlotCount];
            for (int slot = 0; slot < fds.Length; slot++)
                if (BitConverter.ToInt32(context, LoaderContext.Fd(slot)) is var fd and >= 0)
                    fds[slot] = new BpfFileDescriptor(fd, ownsHandle: true);
            var state = new LoadedState(owner, plan);
            try
            {
                if (image.BtfSlot >= 0)
                    state.ObjectBtf = BtfHandle.FromFd(Take(fds, image.BtfSlot));
                for (int map = 0; map < image.MapSlots.Length; map++)
                    if (image.MapSlots[map] >= 0)
                        state.Maps[map] = new LoadedMap(BpfMap.FromFd(Take(fds, image.MapSlots[map])), reused: false);
                foreach (int map in image.FrozenMaps)
                    state.Maps[map]?.Map.MarkFrozen();
                for (int program = 0; program < image.ProgramSlots.Length; program++)
                    if (image.ProgramSlots[program] >= 0)
                    {
                        int kind = programKinds[program];
                        BpfAttachType? expected = kind >> 16 == 0 ? null : (BpfAttachType)((kind >> 16) - 1);
                        state.Programs[program] = BpfProgramHandle.Adopt(Take(fds, image.ProgramSlots[program]),
                            owner.Programs[program].Name, (BpfProgramType)(kind & 0xffff), expected);
                    }
                return state;
            }
            catch
            {
                state.Dispose();
                foreach (var fd in fds) fd?.Dispose();
                throw;
            }
        }

        private static BpfFileDescriptor Take(BpfFileDescriptor?[] fds, int slot)
        {
            var fd = fds[slot] ?? throw new BpfLoadException($"the light skeleton's loader left slot {slot} empty");
            fds[slot] = null;
            return fd;
        }
    }
}
