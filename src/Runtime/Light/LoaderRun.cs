using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
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

        public static LoadedState Load(ILoadSource owner, BpfLoaderImage image)
        {
            CheckRecordedFrom(owner, image);
            int keyring = CheckSignature(owner, image);
            // What this run decides goes into its inputs, never into the recorded data (which a signature covers).
            var inputs = new byte[image.InputSize];
            foreach (var input in image.Inputs)
                image.Data.AsSpan(input.Data, input.Length).CopyTo(inputs.AsSpan(input.Input));
            var plan = new LoadPlan(owner);
            if (image.StructOpsMaps.Length > 0)
                LightStructOps.Bind(owner, image, plan, inputs);
            var programKinds = image.ProgramKinds;
            if (image.UsdtPrograms.Length > 0 && FeatureProbes.UprobeMultiLink.Supported)
            {
                programKinds = (int[])programKinds.Clone();
                foreach (var field in image.UsdtPrograms)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(inputs.AsSpan(field.First), (uint)BpfAttachType.TraceUProbeMulti);
                    programKinds[field.Subject] = BpfLoaderImage.ProgramKind((BpfProgramType)(programKinds[field.Subject] & 0xffff), BpfAttachType.TraceUProbeMulti);
                }
            }
            byte[]? kconfig = null;
            int kconfigMap = -1;
            foreach (var dataImage in image.DataImages)
            {
                var current = CurrentImage(owner, dataImage, out bool isKconfig);
                if (isKconfig) (kconfig, kconfigMap) = (current, dataImage.Map);
                current.CopyTo(inputs.AsSpan(dataImage.Input, dataImage.Length));
            }

            var context = new byte[LoaderContext.Size(image.SlotCount)];
            int failed = Run(owner, image, inputs, context, keyring, log: null, logLevel: 0);
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
                int again = Run(owner, image, inputs, context, keyring, buffer, Math.Max(owner.Options.VerifierLogLevel, 1u));
                if (again == failed)
                {
                    errno = -BitConverter.ToInt32(context, LoaderContext.Error);
                    log = KernelLog.TextOf(buffer);
                }
            }
            string operation = $"{owner.Spec.FileName}: light skeleton loader, step {failed} of {image.Steps.Length}: {step.Description}";
            if (step.Kind == LoaderStepKind.CheckDataHash)
                throw new BpfLoaderSignatureException(operation, errno,
                    "the loader's data is not what its signed instructions were recorded with (changed since), or its map is not exclusive to it and frozen");
            if (log.Length > 0 && !(errno == Errno.EPERM && KernelLog.IsOnlyStatistics(log)))
                throw new BpfVerifierException(operation, errno, log, errno == Errno.ENOSPC);
            throw BpfErrors.Create(operation, errno, BpfCallKind.Create);
        }

        private static void CheckRecordedFrom(ILoadSource owner, BpfLoaderImage image)
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
        private static byte[] CurrentImage(ILoadSource owner, LoaderDataImage dataImage, out bool isKconfig)
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

        /// <summary>
        /// The keyring that verifies the loader's signature (<see cref="BpfOpenOptions.LoaderKeyring"/>), or
        /// <see cref="NoSignature"/>: a signature is presented only where a keyring is named, so a signed skeleton
        /// still loads (as a signable one: exclusive map, hash check) where the user asks for no verification or the
        /// kernel cannot verify. Refuses a demanded signature the loader lacks, and a signable loader on a kernel
        /// without exclusive maps.
        /// </summary>
        private static int CheckSignature(ILoadSource owner, BpfLoaderImage image)
        {
            int? keyring = owner.Options.LoaderKeyring;
            string operation = $"{owner.Spec.FileName}: light skeleton loader";
            if (keyring is { } demanded && !image.IsSigned)
                throw new BpfLoaderSignatureException(operation,
                    $"{operation}: BpfOpenOptions.LoaderKeyring ({demanded}) demands a signed loader, but this one is {(image.IsSignable ? "signable but not signed" : "not signed")}; " +
                    "build it with LightSigningKey and LightSigningCertificate (bpfsk gen-loader --sign-key --sign-cert), or leave LoaderKeyring unset");
            if (image.IsSignable && FeatureProbes.SignableLoaders is { Supported: false } probe)
                throw new BpfNotSupportedException(operation, 0, $"the loader was recorded signable: {probe.Reason}");
            return keyring ?? NoSignature;
        }

        /// <summary>No keyring named: the loader's signature, if any, is not presented.</summary>
        private const int NoSignature = int.MinValue;

        /// <summary>Runs the loader once; returns 0, or the failed step's number (every fd the loader made is closed again).</summary>
        private static int Run(ILoadSource owner, BpfLoaderImage image, byte[] inputs, byte[] context, int keyring, byte[]? log, uint logLevel)
        {
            context.AsSpan().Clear();
            for (int slot = 0; slot < image.SlotCount; slot++)
                BitConverter.TryWriteBytes(context.AsSpan(LoaderContext.Fd(slot)), -1);
            // A signable loader's map is its alone (the kernel lets only the program with this SHA-256 use it) and is
            // frozen before the load; asking for its hash makes the kernel compute map->sha, which the loader checks.
            byte[]? programHash = image.IsSignable ? SHA256.HashData(MemoryMarshal.AsBytes(image.Instructions.AsSpan())) : null;
            using var dataMap = BpfMap.Create(new BpfMapCreateOptions
            {
                Type = BpfMapType.Array,
                Name = "__loader.map",
                KeySize = 4,
                ValueSize = (uint)image.Data.Length,
                MaxEntries = 1,
                ExclusiveProgramHash = programHash,
            });
            Span<byte> key = stackalloc byte[4];
            key.Clear();
            dataMap.Update(key, image.Data);
            if (image.IsSignable)
            {
                dataMap.Freeze();
                ComputeHash(dataMap);
            }
            using var loader = LoadLoader(owner, image, dataMap, keyring);
            fixed (byte* inputBuffer = inputs)
            fixed (byte* logBuffer = log)
            {
                // Both stay pinned through the run below: the loader copies the inputs, the kernel writes the log.
                BitConverter.TryWriteBytes(context.AsSpan(LoaderContext.Inputs), (ulong)inputBuffer);
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

        /// <summary>BPF_OBJ_GET_INFO_BY_FD with a hash buffer: the kernel computes the frozen map's SHA-256 into map->sha.</summary>
        private static void ComputeHash(BpfMap map)
        {
            Span<byte> hash = stackalloc byte[32];
            fixed (byte* buffer = hash)
            {
                var info = new MapInfoNative { Hash = (ulong)buffer, HashSize = (uint)hash.Length };
                BpfObjects.GetInfo(map.Fd, ref info, "compute the SHA-256 of the light skeleton's loader map");
            }
        }

        /// <summary>
        /// Loads the loader program, naming its map by fd_array (its instructions hold no fd) and, when signed,
        /// with its signature; a signature the kernel refuses is a <see cref="BpfLoaderSignatureException"/>.
        /// </summary>
        private static BpfProgramHandle LoadLoader(ILoadSource owner, BpfLoaderImage image, BpfMap dataMap, int keyring)
        {
            var options = new BpfProgramLoadOptions
            {
                Type = BpfProgramType.Syscall,
                Name = "__loader.prog",
                License = "Dual MIT/GPL",
                Flags = BpfProgramLoadFlags.Sleepable,
                Instructions = image.Instructions,
                FdArray = new[] { dataMap.Fd.DangerousGetFd() },
                Signature = keyring == NoSignature ? null : image.Signature,
                KeyringId = keyring == NoSignature ? 0 : keyring,
            };
            try
            {
                return BpfProgramHandle.Load(options);
            }
            catch (BpfException e) when (image.IsSigned && keyring != NoSignature && e is not BpfVerifierException && e.Errno != 0)
            {
                throw new BpfLoaderSignatureException(
                    $"{owner.Spec.FileName}: light skeleton loader: load the signed loader program (keyring {keyring})", e.Errno, SignatureHint(e.Errno, keyring));
            }
        }

        /// <summary>What the kernel's refusal of a loader's signature means, by errno.</summary>
        private static string SignatureHint(int errno, int keyring) => errno switch
        {
            Errno.EKEYREJECTED => "the kernel refused the loader's signature: it does not verify with the signer's key in the keyring (signed by another key, or the loader changed after signing)",
            Errno.ENOKEY => $"the kernel refused the loader's signature: no key in keyring {keyring} matches its signer (add the signing certificate to that keyring, or name the keyring that holds it in BpfOpenOptions.LoaderKeyring)",
            Errno.EBADMSG => "the kernel refused the loader's signature: it is not a PKCS#7 message the kernel can read",
            Errno.ENOPKG => "the kernel refused the loader's signature: it lacks the signature's hash or public key algorithm",
            Errno.EOPNOTSUPP => "this kernel cannot verify BPF program signatures (built without CONFIG_SYSTEM_DATA_VERIFICATION); leave BpfOpenOptions.LoaderKeyring unset to load the loader unverified",
            Errno.EKEYEXPIRED or Errno.EKEYREVOKED => "the kernel refused the loader's signature: the signing key has expired or was revoked",
            Errno.EINVAL => $"the kernel refused the loader's signature: keyring {keyring} does not exist or is not usable by this process (a thread or process keyring this process lacks, an unknown serial), or the signature is too large",
            Errno.EPERM or Errno.EACCES => "the kernel refused the loader's signature: the keyring may not be searched by this process, or a security policy refused the load",
            _ => "the kernel refused the loader's signature",
        };

        /// <summary>The fds the loader made become the object's loaded state; on any failure every one is closed.</summary>
        private static LoadedState Adopt(ILoadSource owner, BpfLoaderImage image, byte[] context, LoadPlan plan, int[] programKinds)
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
