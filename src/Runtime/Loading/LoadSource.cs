using System.Collections.Generic;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// What a load reads of an opened object: its spec, the choices made on it since open (autocreate, autoload,
    /// a map to reuse, an attach target, struct_ops slots) and the open options. The object (<c>BpfObject</c>, the
    /// layer above) implements it, so the loader plans from what it needs and never reaches up; what the load
    /// makes goes into a <see cref="LoadedState"/>, which the object reads. Entries are indexed like the object's.
    /// The light skeleton (the layer above Loading, still below the object) records and runs its loader from the
    /// same interfaces.
    /// </summary>
    internal interface ILoadSource
    {
        /// <summary>The opened object's spec (read only here).</summary>
        BpfObjectSpec Spec { get; }

        /// <summary>The options the object was opened with.</summary>
        ILoadOptions Options { get; }

        /// <summary>Every map, in the spec's order.</summary>
        IReadOnlyList<ILoadMap> Maps { get; }

        /// <summary>Every program, in the spec's order.</summary>
        IReadOnlyList<ILoadProgram> Programs { get; }

        /// <summary>Every global data section with its map.</summary>
        IReadOnlyList<ILoadGlobalData> GlobalData { get; }

        /// <summary>Every struct_ops map.</summary>
        IReadOnlyList<ILoadStructOps> StructOpsMaps { get; }

        /// <summary>The map named <paramref name="name"/>.</summary>
        ILoadMap Map(string name);

        /// <summary>The program named <paramref name="name"/>.</summary>
        ILoadProgram Program(string name);

        /// <summary>The struct_ops map named <paramref name="name"/>.</summary>
        ILoadStructOps StructOps(string name);

        /// <summary>Whether USDT and LINUX_HAS_BPF_COOKIE count on BPF cookies.</summary>
        bool UsesBpfCookies { get; }
    }

    /// <summary>The open options a load reads.</summary>
    internal interface ILoadOptions
    {
        /// <summary>A kernel BTF file to use instead of the running kernel's.</summary>
        string? KernelBtfPath { get; }

        /// <summary>Kconfig values given before the kernel's own.</summary>
        string? KernelConfig { get; }

        /// <summary>The verifier log level asked for when a load fails.</summary>
        uint VerifierLogLevel { get; }

        /// <summary>
        /// The keyring a light skeleton's signed loader is verified against, which also demands a signature; null:
        /// no verification asked for. Only the light skeleton's run reads it.
        /// </summary>
        int? LoaderKeyring { get; }
    }

    /// <summary>A map as a load reads it.</summary>
    internal interface ILoadMap
    {
        /// <summary>Its index in the object's maps.</summary>
        int Index { get; }

        /// <summary>Its name.</summary>
        string Name { get; }

        /// <summary>Its spec.</summary>
        MapSpec Spec { get; }

        /// <summary>Its map type.</summary>
        BpfMapType Type { get; }

        /// <summary>Whether the load creates it.</summary>
        bool AutoCreate { get; }

        /// <summary>Where it is pinned (or taken from), if anywhere.</summary>
        string? PinPath { get; }

        /// <summary>The map given to reuse instead of creating one.</summary>
        BpfMap? Replacement { get; }
    }

    /// <summary>A program as a load reads it.</summary>
    internal interface ILoadProgram
    {
        /// <summary>Its index in the object's programs.</summary>
        int Index { get; }

        /// <summary>Its name.</summary>
        string Name { get; }

        /// <summary>Its spec.</summary>
        ProgramSpec Spec { get; }

        /// <summary>Its program type.</summary>
        BpfProgramType Type { get; }

        /// <summary>Whether the load loads it (struct_ops programs: whether a created map uses them).</summary>
        bool AutoLoad { get; }

        /// <summary>A struct_ops program.</summary>
        bool IsStructOps { get; }

        /// <summary>The verifier log level it loads with.</summary>
        uint LogLevel { get; }

        /// <summary>A loaded program it attaches to (freplace, fentry/fexit on a program).</summary>
        BpfProgramHandle? AttachProgram { get; }

        /// <summary>The function of <see cref="AttachProgram"/> it attaches to.</summary>
        string? AttachFunction { get; }
    }

    /// <summary>A global data section as a load reads it.</summary>
    internal interface ILoadGlobalData
    {
        /// <summary>Its spec (the image as edited since open).</summary>
        DataSectionSpec Spec { get; }

        /// <summary>Its map.</summary>
        ILoadMap Map { get; }
    }

    /// <summary>A struct_ops map as a load reads it.</summary>
    internal interface ILoadStructOps
    {
        /// <summary>Its index in the object's struct_ops maps.</summary>
        int Index { get; }

        /// <summary>The object it belongs to.</summary>
        ILoadSource Object { get; }

        /// <summary>Its map.</summary>
        ILoadMap Map { get; }

        /// <summary>Its spec (data and program slots as edited since open).</summary>
        StructOpsSpec Spec { get; }
    }
}
