using System.Collections.Generic;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// What a USDT attach needs of a program: its loaded handle and its object's USDT state. The object's program
    /// (<c>BpfProgram</c>, the layer above) implements it, so links never reach up to the object.
    /// </summary>
    internal interface IUsdtProgram
    {
        /// <summary>The loaded program the uprobes run.</summary>
        BpfProgramHandle LoadedHandle { get; }

        /// <summary>The object's USDT spec ids and maps, made on its first USDT attach (as libbpf does).</summary>
        IUsdtSpecs UsdtSpecs();
    }

    /// <summary>An object's USDT spec ids and the maps that hold them (<c>__bpf_usdt_specs</c>, <c>__bpf_usdt_ip_to_spec_id</c>).</summary>
    internal interface IUsdtSpecs
    {
        /// <summary>The layout of one argument spec in the object's specs map.</summary>
        UsdtSpecLayout Layout { get; }

        /// <summary>Whether spec ids travel in BPF cookies (else by call-site address).</summary>
        bool UsesCookies { get; }

        /// <summary>Writes a spec under a free id and returns the id.</summary>
        int AddSpec(byte[] value, string what);

        /// <summary>Gives ids back for reuse.</summary>
        void ReleaseSpecs(IEnumerable<int> ids);

        /// <summary>Maps a call site's address to its spec id (kernels without BPF cookies).</summary>
        void AddAddress(ulong address, int id, string what);

        /// <summary>Removes a call site's address.</summary>
        void RemoveAddress(ulong address);
    }
}
