using System;
using System.Collections.Generic;
using System.IO;
using BpfSkeleton.Handles;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Light;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A BPF object through its life: opened from a <c>.bpf.o</c> (no kernel calls), loaded
    /// (maps created, programs verified — nothing active), attached, disposed (everything
    /// detached and closed, unless a link was explicitly disconnected).
    /// </summary>
    public sealed partial class BpfObject : IDisposable, ILoadSource
    {
        private readonly List<BpfProgram> _programs = new();
        private readonly List<BpfObjectMap> _maps = new();
        private readonly List<BpfGlobalData> _globalData = new();
        private readonly List<BpfStructOpsMap> _structOps = new();
        private readonly List<BpfLink> _links = new();

        private BpfObject(BpfObjectSpec spec, BpfOpenOptions options)
        {
            Spec = spec;
            Options = options;
            // The spec is this object's from now on: an edit after Load() fails as the object's own setters do.
            spec.GuardEdits(RequireEditable);
            foreach (var program in spec.Programs)
                _programs.Add(new BpfProgram(this, program, _programs.Count));
            foreach (var map in spec.Maps)
            {
                var objectMap = new BpfObjectMap(this, map, _maps.Count);
                _maps.Add(objectMap);
                if (map.DataSection is not null) _globalData.Add(new BpfGlobalData(this, objectMap, map.DataSection));
                if (map.StructOps is not null) _structOps.Add(new BpfStructOpsMap(this, objectMap, map.StructOps, _structOps.Count));
            }
            if (spec.ArenaGlobals is not null) ArenaGlobals = new BpfArenaGlobals(this, spec.ArenaGlobals);
        }

        /// <summary>Opens an object file. Reads and parses it; makes no kernel call.</summary>
        public static BpfObject Open(string path, BpfOpenOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(path);
            using var trace = LoadTrace.Phase("open");
            return Open(ObjectFileReader.Read(path), path, options);
        }

        /// <summary>
        /// Opens an object from bytes with no file name; errors say "&lt;memory&gt;" and internal maps
        /// take <see cref="BpfOpenOptions.ObjectName"/> (default "bpf") as their prefix. Makes no kernel call.
        /// </summary>
        public static BpfObject Open(ReadOnlyMemory<byte> bytes, BpfOpenOptions? options = null)
        {
            options ??= new BpfOpenOptions();
            return new BpfObject(BpfObjectSpec.Parse(bytes, "<memory>", options.ObjectName ?? "bpf"), options);
        }

        /// <summary>Opens an object from its bytes (e.g. a skeleton's embedded copy). Makes no kernel call.</summary>
        public static BpfObject Open(ReadOnlyMemory<byte> bytes, string name, BpfOpenOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(name);
            options ??= new BpfOpenOptions();
            return new BpfObject(BpfObjectSpec.Parse(bytes, name, options.ObjectName), options);
        }

        /// <summary>The parsed object. Its setters work only while <see cref="State"/> is Opened, as the object's own do.</summary>
        public BpfObjectSpec Spec { get; }

        /// <summary>The options the object was opened with.</summary>
        public BpfOpenOptions Options { get; }

        /// <summary>
        /// The object's name: <see cref="BpfOpenOptions.ObjectName"/>, or the file name up to its first '.' (as libbpf); it prefixes its global data maps' kernel names.
        /// </summary>
        public string Name => Spec.ObjectName;

        /// <summary>Where the object is in its life: Opened (editable), Loaded, Failed (a load failed; open it again) or Disposed.</summary>
        public BpfObjectState State { get; private set; } = BpfObjectState.Opened;

        /// <summary>Entry-point programs (subprograms are linked into them at load).</summary>
        public IReadOnlyList<BpfProgram> Programs => _programs;

        /// <summary>Every map: declared, global data and struct_ops.</summary>
        public IReadOnlyList<BpfObjectMap> Maps => _maps;

        /// <summary>The global data sections (.bss, .data, .rodata, .kconfig and custom ones), in section order.</summary>
        public IReadOnlyList<BpfGlobalData> GlobalData => _globalData;

        /// <summary>The struct_ops maps (from <c>.struct_ops</c> and <c>.struct_ops.link</c> sections).</summary>
        public IReadOnlyList<BpfStructOpsMap> StructOpsMaps => _structOps;

        /// <summary>Links made by <see cref="Attach"/>, in attach order.</summary>
        public IReadOnlyList<BpfLink> Links => _links;

        /// <summary>
        /// The program named <paramref name="name"/> (its C function name). Throws <see cref="KeyNotFoundException"/> when there is none; the message lists the programs.
        /// </summary>
        public BpfProgram Program(string name)
        {
            foreach (var program in _programs)
                if (program.Name == name) return program;
            throw new KeyNotFoundException($"{Spec.FileName}: no program '{name}' (programs: {string.Join(", ", _programs.ConvertAll(p => p.Name))})");
        }

        /// <summary>
        /// The map named <paramref name="name"/> (as declared; global data maps by section name, e.g. ".bss"). Throws <see cref="KeyNotFoundException"/> when there is none.
        /// </summary>
        public BpfObjectMap Map(string name)
        {
            foreach (var map in _maps)
                if (map.Name == name) return map;
            throw new KeyNotFoundException($"{Spec.FileName}: no map '{name}' (maps: {string.Join(", ", _maps.ConvertAll(m => m.Name))})");
        }

        /// <summary>The global data of a section, e.g. <c>.bss</c>, <c>.rodata</c> or <c>.data.custom</c>.</summary>
        public BpfGlobalData GlobalDataSection(string sectionName)
        {
            foreach (var data in _globalData)
                if (data.SectionName == sectionName) return data;
            throw new KeyNotFoundException($"{Spec.FileName}: no global data section '{sectionName}'");
        }

        /// <summary>
        /// The struct_ops map named <paramref name="name"/> (its variable name). Throws <see cref="KeyNotFoundException"/> when there is none.
        /// </summary>
        public BpfStructOpsMap StructOps(string name)
        {
            foreach (var map in _structOps)
                if (map.Name == name) return map;
            throw new KeyNotFoundException($"{Spec.FileName}: no struct_ops map '{name}'");
        }

        /// <summary>
        /// Creates maps, fills global data, relocates and loads programs. Activates nothing. On
        /// failure every map, program and BTF object created so far is released and the object
        /// becomes unusable (<see cref="BpfObjectState.Failed"/>).
        /// </summary>
        public void Load()
        {
            RequireState(BpfObjectState.Opened, "load");
            using var logScope = LoaderLog.Use(Options.Logger);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var trace = LoadTrace.Phase("load");
            try
            {
                // The loader undoes its own work on failure: what it made lives only in the state it returns.
                Loaded = ObjectLoader.Load(this);
                State = BpfObjectState.Loaded;
                if (LoaderLog.DebugEnabled)
                    foreach (var program in Programs)
                        if (program.VerifierLog is { Length: > 0 } verifierLog) LoaderLog.VerifierLogKept(Spec.FileName, program.Name, verifierLog);
                LoaderLog.ObjectLoaded(Spec.FileName, Maps.Count, Programs.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch
            {
                State = BpfObjectState.Failed;
                throw;
            }
        }

        /// <summary>
        /// Records this object's light skeleton loader (<see cref="BpfLoaderImage"/>) as it stands, the options and
        /// edits made since open included (autocreate, autoload, struct_ops slots; global data is not fixed here, since
        /// <see cref="Load(BpfLoaderImage)"/> writes the loading object's values). The load is planned as for
        /// <see cref="Load()"/>, and each bpf() call is written into the loader program instead of being made:
        /// nothing is created in the kernel, and the object stays opened (it may still be loaded either way). Record
        /// once, at build time (as <c>bpfsk gen-loader</c> and the <c>Light="true"</c> build do), and load later with
        /// <see cref="Load(BpfLoaderImage)"/> on an object opened from the same file.
        /// </summary>
        /// <param name="signable">
        /// Records a loader that can be signed (<see cref="BpfLoaderImage.IsSignable"/>,
        /// <see cref="BpfLoaderImage.WithSignature"/>) for Linux 6.18's BPF program signatures: its map is created
        /// exclusive to it and frozen, and its first step checks the map's SHA-256. Such a loader needs a kernel with
        /// program signatures (<see cref="FeatureProbes.SignableLoaders"/>), signed or not, so ask for it only when the
        /// loader is to be signed.
        /// </param>
        /// <exception cref="InvalidOperationException">The object is not opened (loaded, failed or disposed).</exception>
        /// <exception cref="BpfLoadException">The object uses a feature the light path cannot serve (each is named).</exception>
        public BpfLoaderImage RecordLoader(bool signable = false)
        {
            if (State != BpfObjectState.Opened)
                throw new InvalidOperationException($"{Spec.FileName}: a loader is recorded from an opened object, not a {State} one");
            return LoaderRecorder.Record(this, signable);
        }

        /// <summary>
        /// Loads through a light skeleton's loader (<see cref="BpfLoaderImage"/>, recorded from this same object):
        /// the kernel creates the maps and loads the programs, run by one loader program, with the global data
        /// set since open. The object then behaves as after <see cref="Load()"/>. On failure nothing is left and
        /// the error names the loader's failed step (a program's with its verifier log).
        /// </summary>
        public void Load(BpfLoaderImage loader)
        {
            ArgumentNullException.ThrowIfNull(loader);
            RequireState(BpfObjectState.Opened, "load");
            try
            {
                Loaded = LoaderRun.Load(this, loader);
                State = BpfObjectState.Loaded;
            }
            catch
            {
                State = BpfObjectState.Failed;
                throw;
            }
        }

        /// <summary>
        /// Attaches every program whose section names its target and registers every created
        /// struct_ops map. Programs that need an explicit target (xdp, tc, cgroup, …) are skipped.
        /// </summary>
        public void Attach()
        {
            if (State != BpfObjectState.Loaded && State != BpfObjectState.Detached)
                RequireState(BpfObjectState.Loaded, "attach");
            using var trace = LoadTrace.Phase("attach");
            try
            {
                foreach (var program in _programs)
                    if (program.IsLoaded && program.CanAutoAttach)
                        _links.Add(program.Attach());
                foreach (var structOps in _structOps)
                    if (structOps.Map.IsCreated)
                        _links.Add(structOps.Register());
            }
            catch
            {
                DetachAll();
                throw;
            }
            State = BpfObjectState.Attached;
        }

        /// <summary>Detaches everything <see cref="Attach"/> attached (disconnected links stay).</summary>
        public void Detach()
        {
            if (State != BpfObjectState.Attached) return;
            DetachAll();
            State = BpfObjectState.Detached;
        }

        private void DetachAll()
        {
            for (var i = _links.Count - 1; i >= 0; i--) _links[i].Dispose();
            _links.Clear();
        }

        /// <summary>
        /// Detaches every link <see cref="Attach"/> made, closes the object's maps, programs and BTF, and unmaps its memory.
        /// Pinned objects stay in bpffs. Safe to call more than once.
        /// </summary>
        public void Dispose()
        {
            if (State == BpfObjectState.Disposed) return;
            DetachAll();
            ReleaseKernelObjects();
            State = BpfObjectState.Disposed;
        }

        private void ReleaseKernelObjects()
        {
            Loaded?.Dispose();
            Loaded = null;
            foreach (var map in _maps) map.ReleaseReplacement();
        }

        /// <summary>What Load() made live (maps, programs, BTF, struct_ops values, mappings), until disposed; null before.</summary>
        internal LoadedState? Loaded { get; private set; }

        /// <summary>
        /// Whether this object's programs get BPF cookies: LINUX_HAS_BPF_COOKIE and the USDT attach path
        /// both read it, so what the BPF side expects and what attach provides always agree.
        /// </summary>
        ILoadOptions ILoadSource.Options => Options;
        IReadOnlyList<ILoadMap> ILoadSource.Maps => _maps;
        IReadOnlyList<ILoadProgram> ILoadSource.Programs => _programs;
        IReadOnlyList<ILoadGlobalData> ILoadSource.GlobalData => _globalData;
        IReadOnlyList<ILoadStructOps> ILoadSource.StructOpsMaps => _structOps;
        ILoadMap ILoadSource.Map(string name) => Map(name);
        ILoadProgram ILoadSource.Program(string name) => Program(name);
        ILoadStructOps ILoadSource.StructOps(string name) => StructOps(name);
        bool ILoadSource.UsesBpfCookies => UsesBpfCookies;

        internal bool UsesBpfCookies => !Options.AssumeNoBpfCookies && FeatureProbes.BpfCookie.Supported;

        /// <summary>The object's <c>__arena</c> globals (<c>.addr_space.1</c>), null when it has none.</summary>
        public BpfArenaGlobals? ArenaGlobals { get; }

        internal void RequireState(BpfObjectState expected, string action)
        {
            if (State == expected) return;
            throw new InvalidOperationException(State switch
            {
                BpfObjectState.Disposed => $"{Spec.FileName}: cannot {action}: the object is disposed",
                BpfObjectState.Failed => $"{Spec.FileName}: cannot {action}: the object's load failed; open it again",
                _ => $"{Spec.FileName}: cannot {action} while the object is {State} (needs {expected})",
            });
        }

        /// <summary>
        /// Why a map or program has no kernel object: not loaded yet, disposed (<see cref="ObjectDisposedException"/>),
        /// a failed load, or left out by the load itself (<paramref name="leftOut"/> says how).
        /// </summary>
        internal Exception Missing(string what, string leftOut) => State switch
        {
            BpfObjectState.Opened => new InvalidOperationException($"{what} does not exist yet: call Load() first"),
            BpfObjectState.Disposed => new ObjectDisposedException(Spec.FileName, $"{Spec.FileName}: {what}: the object is disposed"),
            BpfObjectState.Failed => new InvalidOperationException($"{Spec.FileName}: {what}: the object's load failed; open it again"),
            _ => new InvalidOperationException($"{what} {leftOut}"),
        };

        /// <summary>Guards edits of specs, initial data and shadows: allowed only before Load().</summary>
        internal void RequireEditable(string what)
        {
            if (State == BpfObjectState.Opened) return;
            throw new InvalidOperationException(
                $"{Spec.FileName}: {what} can only be changed before Load(); the object is {State}");
        }
    }
}
