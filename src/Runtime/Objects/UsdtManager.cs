using System;
using System.Collections.Generic;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;

namespace BpfSkeleton
{
    /// <summary>
    /// The USDT state of one object, shared by all its USDT attachments: the two maps usdt.bpf.h
    /// declares (__bpf_usdt_specs: spec id → argument spec; __bpf_usdt_ip_to_spec_id: address → spec
    /// id, used only without BPF cookies) and the spec ids in use. Ids are small integers, so the specs
    /// map can be an array; freed ids are reused before new ones.
    /// </summary>
    internal sealed class UsdtManager : IUsdtSpecs
    {
        public const string SpecsMapName = "__bpf_usdt_specs";
        public const string AddressMapName = "__bpf_usdt_ip_to_spec_id";

        private readonly BpfObjectMap _specs;
        private readonly BpfObjectMap _addresses;
        private readonly Stack<int> _freeIds = new();
        private int _nextId;

        private UsdtManager(BpfObjectMap specs, BpfObjectMap addresses, UsdtSpecLayout layout, bool useCookies)
        {
            _specs = specs;
            _addresses = addresses;
            Layout = layout;
            UsesCookies = useCookies;
        }

        public UsdtSpecLayout Layout { get; }

        /// <summary>
        /// Spec ids travel as BPF cookies; otherwise by address. This must agree with LINUX_HAS_BPF_COOKIE,
        /// which the loader set from the same source (<see cref="BpfObject.UsesBpfCookies"/>).
        /// </summary>
        public bool UsesCookies { get; }

        public static UsdtManager Create(BpfObject owner)
        {
            BpfObjectMap? specs = FindMap(owner, SpecsMapName);
            BpfObjectMap? addresses = FindMap(owner, AddressMapName);
            if (specs is null || addresses is null)
                throw new BpfException($"attach USDT probes of {owner.Spec.FileName}", Errno.ESRCH,
                    $"the object has no map '{(specs is null ? SpecsMapName : AddressMapName)}': include <bpf/usdt.bpf.h> in the BPF program and use bpf_usdt_arg()/BPF_USDT()");
            return new UsdtManager(specs, addresses, UsdtSpecLayout.Of(specs.Spec, owner.Spec.Btf), owner.UsesBpfCookies);
        }

        /// <summary>Reserves a spec id and stores <paramref name="value"/> under it.</summary>
        public int AddSpec(byte[] value, string what)
        {
            int id;
            lock (_freeIds)
            {
                if (_freeIds.Count > 0)
                    id = _freeIds.Pop();
                else if (_nextId < _specs.MaxEntries)
                    id = _nextId++;
                else
                    throw new BpfException($"attach {what}", Errno.E2BIG,
                        $"all {_specs.MaxEntries} USDT spec ids are in use; define BPF_USDT_MAX_SPEC_CNT larger before including usdt.bpf.h, or detach other USDT links");
            }
            try
            {
                _specs.Map.Update(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in id)), value);
            }
            catch
            {
                ReleaseSpecs(new[] { id });
                throw;
            }
            return id;
        }

        /// <summary>Returns ids for reuse. The map entries stay: the next user overwrites them.</summary>
        public void ReleaseSpecs(IEnumerable<int> ids)
        {
            lock (_freeIds)
            {
                foreach (int id in ids)
                    _freeIds.Push(id);
            }
        }

        /// <summary>Maps an absolute address to a spec id; refuses an address another attachment already claimed.</summary>
        public void AddAddress(ulong address, int id, string what)
        {
            try
            {
                _addresses.Map.Update(address, id, BpfMapUpdateFlags.NoExist);
            }
            catch (BpfException e) when (e.Errno == Errno.EEXIST)
            {
                throw new BpfException($"attach {what}", Errno.EEXIST,
                    $"address 0x{address:x} already belongs to another USDT attachment of this object (without BPF cookies a call site can be attached once)");
            }
        }

        public void RemoveAddress(ulong address)
        {
            if (_addresses.IsCreated)
                _addresses.Map.TryDelete(address);
        }

        private static BpfObjectMap? FindMap(BpfObject owner, string name)
        {
            foreach (BpfObjectMap map in owner.Maps)
            {
                if (map.Name == name)
                    return map.IsCreated ? map : null;
            }
            return null;
        }
    }
}
