using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// A light skeleton's loader: one <c>BPF_PROG_TYPE_SYSCALL</c> program and its data (every attr, the BTF,
    /// instructions and initial values), recorded from an opened object by the one load pipeline
    /// (<see cref="BpfObject.RecordLoader(bool)"/>). Loading an object with it
    /// (<see cref="BpfObject.Load(BpfLoaderImage)"/>) creates one map and loads and runs one program; the kernel then
    /// makes every map and program itself. Record once (at build time), store with <see cref="ToBytes"/>, and read
    /// back with <see cref="FromBytes"/>.
    /// <para>
    /// A <em>signable</em> loader (<see cref="BpfObject.RecordLoader(bool)"/> with <c>signable: true</c>) can be
    /// signed for Linux 6.18's BPF program signatures: the signature (<see cref="WithSignature"/>) covers its
    /// instructions (<see cref="SignedContent"/>), and those check the loader's data by its SHA-256 before anything
    /// else, so what the kernel verifies covers the programs, BTF and map definitions the loader loads. The global data set before load, .kconfig values and the
    /// running kernel's struct_ops layouts are the run's inputs and are not covered.
    /// </para>
    /// </summary>
    public sealed class BpfLoaderImage
    {
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("BPFSKLDR");

        /// <summary>
        /// The format <see cref="ToBytes"/> writes after the magic. 2: run-time inputs outside the data, signable
        /// loaders and their signature (version 1 wrote "BPFSKLD1" as its magic, with no version field).
        /// </summary>
        internal const int FormatVersion = 2;

        internal BpfLoaderImage(string objectName, string[] mapNames, string[] programNames, ulong[] instructions, byte[] data,
            int slotCount, int btfSlot, int[] mapSlots, int[] frozenMaps, int[] programSlots, int[] programKinds, LoaderStep[] steps, LoaderDataImage[] dataImages,
            LoaderRunTimeField[] structOpsMaps, LoaderRunTimeField[] structOpsPrograms, LoaderRunTimeField[] usdtPrograms,
            LoaderInput[] inputs, int inputSize, bool signable, byte[]? signature)
        {
            Inputs = inputs;
            InputSize = inputSize;
            IsSignable = signable;
            Signature = signature;
            ObjectName = objectName;
            MapNames = mapNames;
            ProgramNames = programNames;
            Instructions = instructions;
            Data = data;
            SlotCount = slotCount;
            BtfSlot = btfSlot;
            MapSlots = mapSlots;
            FrozenMaps = frozenMaps;
            ProgramSlots = programSlots;
            ProgramKinds = programKinds;
            Steps = steps;
            DataImages = dataImages;
            StructOpsMaps = structOpsMaps;
            StructOpsPrograms = structOpsPrograms;
            UsdtPrograms = usdtPrograms;
        }

        /// <summary>The name of the object the loader was recorded from.</summary>
        public string ObjectName { get; }

        /// <summary>The loader program's length in instructions.</summary>
        public int InstructionCount => Instructions.Length;

        /// <summary>The size in bytes of the loader's data (the value of its one map).</summary>
        public int DataSize => Data.Length;

        /// <summary>How many bpf() calls the loader program makes when every step succeeds.</summary>
        public int StepCount => Steps.Length;

        /// <summary>
        /// True when the loader was recorded to be signed: its map is created exclusive to it and frozen, and it checks
        /// the map's SHA-256 first. Such a loader needs a kernel with BPF program signatures
        /// (<see cref="FeatureProbes.SignedPrograms"/>), signed or not.
        /// </summary>
        public bool IsSignable { get; }

        /// <summary>True when the image carries a signature (<see cref="WithSignature"/>).</summary>
        public bool IsSigned => Signature is not null;

        /// <summary>
        /// The bytes a signature covers: the loader program's instructions, as the kernel reads them from
        /// <c>BPF_PROG_LOAD</c> (8 bytes each, little-endian on x86-64 and arm64). Sign them with a detached PKCS#7/CMS
        /// signature over SHA-256 (no signed attributes, no certificates: the kernel finds the key in the keyring);
        /// <c>bpfsk gen-loader --sign-key --sign-cert</c> does.
        /// </summary>
        public ReadOnlyMemory<byte> SignedContent => System.Runtime.InteropServices.MemoryMarshal.AsBytes(Instructions.AsSpan()).ToArray();

        /// <summary>
        /// This loader with <paramref name="signature"/> (a detached PKCS#7/CMS signature of <see cref="SignedContent"/>),
        /// which <see cref="BpfObject.Load(BpfLoaderImage)"/> hands to the kernel with the loader program; the kernel
        /// verifies it against the keyring <see cref="BpfOpenOptions.LoaderKeyring"/> names. Only a signable loader
        /// can be signed: an unsignable one's data could change after signing unchecked.
        /// </summary>
        public BpfLoaderImage WithSignature(ReadOnlySpan<byte> signature)
        {
            if (!IsSignable)
                throw new InvalidOperationException($"the loader of '{ObjectName}' was not recorded signable; record it with RecordLoader(signable: true)");
            if (signature.IsEmpty)
                throw new ArgumentException("The signature is empty.", nameof(signature));
            return new BpfLoaderImage(ObjectName, MapNames, ProgramNames, Instructions, Data, SlotCount, BtfSlot, MapSlots, FrozenMaps, ProgramSlots,
                ProgramKinds, Steps, DataImages, StructOpsMaps, StructOpsPrograms, UsdtPrograms, Inputs, InputSize, IsSignable, signature.ToArray());
        }

        /// <summary>The signature given with <see cref="WithSignature"/>, or null.</summary>
        internal byte[]? Signature { get; }

        /// <summary>Where the loader copies the run's inputs into its data.</summary>
        internal LoaderInput[] Inputs { get; }

        /// <summary>Bytes of the run's inputs (global data images and kernel facts), which the loader copies into its data.</summary>
        internal int InputSize { get; }

        internal string[] MapNames { get; }
        internal string[] ProgramNames { get; }
        internal ulong[] Instructions { get; }
        internal byte[] Data { get; }
        internal int SlotCount { get; }
        internal int BtfSlot { get; }
        internal int[] MapSlots { get; }
        /// <summary>The maps the loader freezes (read-only global data), by index.</summary>
        internal int[] FrozenMaps { get; }
        internal int[] ProgramSlots { get; }
        /// <summary>Per program: its type in the low 16 bits, its expected attach type + 1 above (0: none), as the plan loaded it.</summary>
        internal int[] ProgramKinds { get; }

        /// <summary>A <see cref="ProgramKinds"/> entry: the type in the low 16 bits, the expected attach type + 1 above.</summary>
        internal static int ProgramKind(BpfProgramType type, BpfAttachType? expected)
            => (int)type | (expected is { } attach ? ((int)attach + 1) << 16 : 0);
        internal LoaderStep[] Steps { get; }
        internal LoaderDataImage[] DataImages { get; }
        /// <summary>struct_ops maps' value_size and btf_vmlinux_value_type_id, set from the running kernel's layout.</summary>
        internal LoaderRunTimeField[] StructOpsMaps { get; }
        /// <summary>struct_ops programs' attach_btf_id and expected_attach_type, set from the running kernel's layout.</summary>
        internal LoaderRunTimeField[] StructOpsPrograms { get; }
        /// <summary>USDT programs' expected_attach_type: uprobe.multi where the running kernel has it, as a regular load chooses.</summary>
        internal LoaderRunTimeField[] UsdtPrograms { get; }

        /// <summary>The image as bytes, for embedding in an assembly; <see cref="FromBytes"/> reads them back.</summary>
        public byte[] ToBytes()
        {
            using var stream = new MemoryStream();
            using var writer = new BinaryWriter(stream, Encoding.UTF8);
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(ObjectName);
            WriteStrings(writer, MapNames);
            WriteStrings(writer, ProgramNames);
            writer.Write(Instructions.Length);
            foreach (var instruction in Instructions) writer.Write(instruction);
            writer.Write(Data.Length);
            writer.Write(Data);
            writer.Write(SlotCount);
            writer.Write(BtfSlot);
            WriteInts(writer, MapSlots);
            WriteInts(writer, FrozenMaps);
            WriteInts(writer, ProgramSlots);
            WriteInts(writer, ProgramKinds);
            writer.Write(Steps.Length);
            foreach (var step in Steps)
            {
                writer.Write((byte)step.Kind);
                writer.Write(step.Subject);
                writer.Write(step.Description);
            }
            writer.Write(DataImages.Length);
            foreach (var image in DataImages)
            {
                writer.Write(image.Map);
                writer.Write(image.Input);
                writer.Write(image.Length);
            }
            WriteFields(writer, StructOpsMaps);
            WriteFields(writer, StructOpsPrograms);
            WriteFields(writer, UsdtPrograms);
            writer.Write(Inputs.Length);
            foreach (var input in Inputs)
            {
                writer.Write(input.Data);
                writer.Write(input.Input);
                writer.Write(input.Length);
            }
            writer.Write(InputSize);
            writer.Write(IsSignable);
            writer.Write(Signature?.Length ?? -1);
            if (Signature is not null) writer.Write(Signature);
            writer.Flush();
            return stream.ToArray();
        }

        /// <summary>Reads an image written by <see cref="ToBytes"/>; throws <see cref="BpfFormatException"/> for anything else.</summary>
        public static BpfLoaderImage FromBytes(ReadOnlySpan<byte> bytes)
        {
            try
            {
                using var stream = new MemoryStream(bytes.ToArray(), writable: false);
                using var reader = new BinaryReader(stream, Encoding.UTF8);
                var magic = reader.ReadBytes(Magic.Length);
                if (magic.AsSpan().SequenceEqual("BPFSKLD1"u8))
                    throw Malformed(reader, $"a loader image of format version 1; this BpfSkeleton reads version {FormatVersion}: record it again with this version's bpfsk (rebuild the project)");
                if (!magic.AsSpan().SequenceEqual(Magic))
                    throw Malformed(reader, "not a BpfSkeleton loader image (bad magic)");
                int version = reader.ReadInt32();
                if (version != FormatVersion)
                    throw Malformed(reader, $"a loader image of format version {version}; this BpfSkeleton reads version {FormatVersion}: record it again with this version's bpfsk (rebuild the project)");
                string objectName = reader.ReadString();
                var mapNames = ReadStrings(reader);
                var programNames = ReadStrings(reader);
                var instructions = new ulong[Count(reader, 8)];
                for (int i = 0; i < instructions.Length; i++) instructions[i] = reader.ReadUInt64();
                var data = reader.ReadBytes(Count(reader, 1));
                int slotCount = reader.ReadInt32();
                int btfSlot = reader.ReadInt32();
                var mapSlots = ReadInts(reader);
                var frozenMaps = ReadInts(reader);
                var programSlots = ReadInts(reader);
                var programKinds = ReadInts(reader);
                var steps = new LoaderStep[Count(reader, 6)];
                for (int i = 0; i < steps.Length; i++)
                    steps[i] = new LoaderStep((LoaderStepKind)reader.ReadByte(), reader.ReadInt32(), reader.ReadString());
                var images = new LoaderDataImage[Count(reader, 12)];
                for (int i = 0; i < images.Length; i++)
                    images[i] = new LoaderDataImage(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
                var structOpsMaps = ReadFields(reader);
                var structOpsPrograms = ReadFields(reader);
                var usdtPrograms = ReadFields(reader);
                var inputs = new LoaderInput[Count(reader, 12)];
                for (int i = 0; i < inputs.Length; i++)
                    inputs[i] = new LoaderInput(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
                int inputSize = reader.ReadInt32();
                bool signable = reader.ReadBoolean();
                int signatureLength = reader.ReadInt32();
                byte[]? signature = signatureLength < 0 ? null : reader.ReadBytes(signatureLength);
                if (signature is not null && (signature.Length != signatureLength || !signable))
                    throw Malformed(reader, "inconsistent signature");
                foreach (var input in inputs)
                    if (input.Length < 0 || input.Data < 0 || input.Input < 0 || input.Data > data.Length - input.Length || input.Input > inputSize - input.Length)
                        throw Malformed(reader, "a run-time input outside the data or the inputs");
                if (stream.Position != stream.Length || mapSlots.Length != mapNames.Length || programSlots.Length != programNames.Length || programKinds.Length != programNames.Length)
                    throw Malformed(reader, "inconsistent image (trailing bytes or mismatched tables)");
                return new BpfLoaderImage(objectName, mapNames, programNames, instructions, data, slotCount, btfSlot, mapSlots, frozenMaps, programSlots, programKinds, steps, images,
                    structOpsMaps, structOpsPrograms, usdtPrograms, inputs, inputSize, signable, signature);
            }
            catch (Exception e) when (e is EndOfStreamException or FormatException)
            {
                throw new BpfFormatException("loader image", null, bytes.Length, "truncated image");
            }
        }

        private static int Count(BinaryReader reader, int elementSize)
        {
            int count = reader.ReadInt32();
            if (count < 0 || (long)count * elementSize > reader.BaseStream.Length - reader.BaseStream.Position)
                throw Malformed(reader, $"declares {count} entries, more than it holds");
            return count;
        }

        private static BpfFormatException Malformed(BinaryReader reader, string problem)
            => new("loader image", null, reader.BaseStream.Position, problem);

        private static void WriteFields(BinaryWriter writer, LoaderRunTimeField[] fields)
        {
            writer.Write(fields.Length);
            foreach (var field in fields)
            {
                writer.Write(field.Subject);
                writer.Write(field.First);
                writer.Write(field.Second);
            }
        }

        private static LoaderRunTimeField[] ReadFields(BinaryReader reader)
        {
            var fields = new LoaderRunTimeField[Count(reader, 12)];
            for (int i = 0; i < fields.Length; i++)
                fields[i] = new LoaderRunTimeField(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            return fields;
        }

        private static void WriteStrings(BinaryWriter writer, string[] values)
        {
            writer.Write(values.Length);
            foreach (var value in values) writer.Write(value);
        }

        private static string[] ReadStrings(BinaryReader reader)
        {
            var values = new string[Count(reader, 1)];
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadString();
            return values;
        }

        private static void WriteInts(BinaryWriter writer, int[] values)
        {
            writer.Write(values.Length);
            foreach (var value in values) writer.Write(value);
        }

        private static int[] ReadInts(BinaryReader reader)
        {
            var values = new int[Count(reader, 4)];
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadInt32();
            return values;
        }
    }
}
