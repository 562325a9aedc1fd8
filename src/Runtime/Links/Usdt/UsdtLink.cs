using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BpfSkeleton.Elf;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// A program attached to every call site of one USDT probe (provider:name) in a binary. Each site
    /// gets a uprobe — all in one uprobe.multi link when the program was loaded for one (Linux 6.6+),
    /// else one perf-event uprobe per site — whose BPF cookie is the id of the site's argument spec in
    /// the object's __bpf_usdt_specs map. Disposing detaches every site and frees the spec ids.
    /// </summary>
    public sealed class UsdtLink : BpfLink
    {
        private readonly IUsdtSpecs _manager;
        private readonly BpfLink[] _links;
        private readonly int[] _specIds;
        private readonly ulong[] _addresses;
        private bool _disposed;

        private UsdtLink(IUsdtSpecs manager, BpfLink[] links, int[] specIds, ulong[] addresses,
            string binaryPath, string provider, string name, IReadOnlyList<UsdtSite> sites) : base(links[0].Fd)
        {
            _manager = manager;
            _links = links;
            _specIds = specIds;
            _addresses = addresses;
            BinaryPath = binaryPath;
            Provider = provider;
            Name = name;
            Sites = sites;
        }

        /// <summary>The binary holding the probe, as resolved (a full path).</summary>
        public string BinaryPath { get; }

        /// <summary>The probe's provider, e.g. "libc".</summary>
        public string Provider { get; }

        /// <summary>The probe's name, e.g. "memory_malloc_retry".</summary>
        public string Name { get; }

        /// <summary>The call sites attached, in note order.</summary>
        public IReadOnlyList<UsdtSite> Sites { get; }

        /// <summary>True when one uprobe.multi link holds every site; <see cref="BpfLink.Fd"/> is then that link, else the first site's.</summary>
        public bool IsMulti => _links.Length == 1 && _links[0] is UprobeMultiLink;

        /// <summary>The underlying links: one uprobe.multi link, or one uprobe link per site.</summary>
        public IReadOnlyList<BpfLink> Links => _links;

        /// <summary>Distinct spec ids this attachment owns (call sites with identical argument strings share one).</summary>
        public IReadOnlyList<int> SpecIds => _specIds;

        internal static UsdtLink Attach(IUsdtProgram program, int processId, string binary, string provider, string name, UsdtOptions? options)
        {
            ArgumentException.ThrowIfNullOrEmpty(provider);
            ArgumentException.ThrowIfNullOrEmpty(name);
            string path = BinaryPaths.Resolve(binary);
            string what = $"{program} to USDT {provider}:{name} in '{path}'";
            ElfFile elf = ElfFunctions.Open(path);
            CheckMachine(elf, what);
            List<UsdtSite> sites = UsdtSites.Find(elf, provider, name);
            var arguments = new Dictionary<string, UsdtArgument[]>(StringComparer.Ordinal);
            foreach (UsdtSite site in sites)
            {
                if (!arguments.ContainsKey(site.Note.Arguments))
                    arguments[site.Note.Arguments] = ParseArguments(site, elf.Machine, what);
            }
            // libbpf's pid convention: negative is every process, 0 is this one.
            int pid = processId < 0 ? -1 : processId == 0 ? Environment.ProcessId : processId;
            IUsdtSpecs manager = program.UsdtSpecs();
            if (sites.Exists(site => site.SemaphoreOffset != 0) && !ProbePmu.SupportsRefCounter)
                throw new BpfNotSupportedException($"attach {what}", Errno.EOPNOTSUPP,
                    "the probe has a semaphore, and this kernel's uprobe PMU has no ref_ctr_offset (Linux 4.20+)");
            return new Builder(program, manager, path, what, elf, pid).Build(sites, arguments, options?.Cookie ?? 0, provider, name);
        }

        private static UsdtArgument[] ParseArguments(UsdtSite site, ushort machine, string what)
        {
            try
            {
                return UsdtArgumentParser.Parse(site.Note.Arguments, machine);
            }
            catch (FormatException e)
            {
                throw new BpfException($"attach {what}", Errno.EINVAL, $"call site at 0x{site.Address:x}: {e.Message}");
            }
        }

        private static void CheckMachine(ElfFile elf, string what)
        {
            ushort expected = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => ElfConstants.EM_X86_64,
                Architecture.Arm64 => ElfConstants.EM_AARCH64,
                _ => 0,
            };
            if (expected == 0)
                throw new BpfNotSupportedException($"attach {what}", Errno.EOPNOTSUPP, $"USDT arguments are decoded for x86-64 and arm64 only, not {RuntimeInformation.ProcessArchitecture}");
            if (elf.Machine != expected || !elf.IsLittleEndian)
                throw new BpfException($"attach {what}", Errno.EINVAL, $"the binary is for machine {elf.Machine}, not this {RuntimeInformation.ProcessArchitecture} kernel");
        }

        /// <summary>Collects what one attach creates so a failure can undo all of it.</summary>
        private sealed class Builder
        {
            private readonly IUsdtProgram _program;
            private readonly IUsdtSpecs _manager;
            private readonly string _path, _what;
            private readonly ElfFile _elf;
            private readonly int _pid;
            private readonly List<BpfLink> _links = new();
            private readonly List<int> _specIds = new();
            private readonly List<ulong> _addresses = new();

            public Builder(IUsdtProgram program, IUsdtSpecs manager, string path, string what, ElfFile elf, int pid)
            {
                (_program, _manager, _path, _what, _elf, _pid) = (program, manager, path, what, elf, pid);
            }

            public UsdtLink Build(List<UsdtSite> sites, Dictionary<string, UsdtArgument[]> arguments, ulong cookie, string provider, string name)
            {
                try
                {
                    // One spec per distinct argument string; every site of this attachment shares the cookie.
                    var ids = new Dictionary<string, int>(StringComparer.Ordinal);
                    var siteIds = new ulong[sites.Count];
                    for (int i = 0; i < sites.Count; i++)
                    {
                        string text = sites[i].Note.Arguments;
                        if (!ids.TryGetValue(text, out int id))
                        {
                            id = _manager.AddSpec(Encode(arguments[text], cookie, sites[i]), _what);
                            ids[text] = id;
                            _specIds.Add(id);
                        }
                        siteIds[i] = (ulong)id;
                        if (!_manager.UsesCookies)
                            MapAddress(sites[i], id);
                    }
                    AttachUprobes(sites, siteIds);
                    return new UsdtLink(_manager, _links.ToArray(), _specIds.ToArray(), _addresses.ToArray(), _path, provider, name, sites);
                }
                catch
                {
                    Undo(_manager, _links, _specIds, _addresses);
                    throw;
                }
            }

            private byte[] Encode(UsdtArgument[] arguments, ulong cookie, UsdtSite site)
            {
                try
                {
                    return _manager.Layout.Encode(arguments, cookie);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    throw new BpfException($"attach {_what}", Errno.EINVAL, $"arguments '{site.Note.Arguments}': {e.Message}");
                }
            }

            /// <summary>Without cookies the BPF side looks the spec up by the absolute instruction pointer.</summary>
            private void MapAddress(UsdtSite site, int id)
            {
                ulong address;
                if (_elf.Type == ElfConstants.ET_EXEC)
                    address = site.Address;
                else if (_pid < 0)
                    throw new BpfNotSupportedException($"attach {_what}", Errno.EOPNOTSUPP,
                        "without BPF cookies (Linux 5.15+) a shared library or PIE binary can only be attached for one process: pass its pid");
                else
                    address = ProcessMappings.AddressOf(_pid, _path, site.FileOffset);
                _manager.AddAddress(address, id, _what);
                _addresses.Add(address);
            }

            private void AttachUprobes(List<UsdtSite> sites, ulong[] siteIds)
            {
                BpfProgramHandle handle = _program.LoadedHandle;
                if (handle.ExpectedAttachType == BpfAttachType.TraceUProbeMulti)
                {
                    var offsets = new ulong[sites.Count];
                    var semaphores = new ulong[sites.Count];
                    for (int i = 0; i < sites.Count; i++)
                        (offsets[i], semaphores[i]) = (sites[i].FileOffset, sites[i].SemaphoreOffset);
                    _links.Add(UprobeMultiLink.Attach(handle, _path, new UprobeMultiOptions
                    {
                        Offsets = offsets,
                        RefCounterOffsets = semaphores,
                        Cookies = _manager.UsesCookies ? siteIds : null,
                        ProcessId = _pid,
                    }));
                    return;
                }
                for (int i = 0; i < sites.Count; i++)
                {
                    _links.Add(UprobeLink.Attach(handle, _path, new UprobeOptions
                    {
                        Offset = sites[i].FileOffset,
                        RefCounterOffset = sites[i].SemaphoreOffset,
                        Cookie = _manager.UsesCookies ? siteIds[i] : 0,
                        ProcessId = _pid,
                    }));
                }
            }
        }

        private static void Undo(IUsdtSpecs manager, IReadOnlyList<BpfLink> links, IReadOnlyList<int> specIds, IReadOnlyList<ulong> addresses)
        {
            for (int i = links.Count - 1; i >= 0; i--)
                links[i].Dispose();
            foreach (ulong address in addresses)
                manager.RemoveAddress(address);
            manager.ReleaseSpecs(specIds);
        }

        /// <summary>Detaches every site and releases the probe's entries in the USDT spec and IP maps.</summary>
        protected override void Dispose(bool disposing)
        {
            if (!disposing || _disposed)
                return;
            _disposed = true;
            if (IsDisconnected)
            {
                // The sites stay attached and keep using their specs: leave the ids taken.
                foreach (BpfLink link in _links)
                {
                    link.Disconnect();
                    link.Dispose();
                }
                return;
            }
            Undo(_manager, _links, _specIds, _addresses);
            base.Dispose(disposing);
        }
    }
}
