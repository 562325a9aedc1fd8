using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// The registration of a plain (<c>.struct_ops</c>) map, which has no kernel link: it lasts while
    /// the map's value is set — even past this process. Disposing unregisters (deletes the value)
    /// unless <see cref="BpfLink.Disconnect"/> was called; then remove it later with
    /// <c>bpftool struct_ops unregister name &lt;map&gt;</c>.
    /// </summary>
    public sealed class StructOpsMapRegistration : BpfLink
    {
        private readonly BpfMap _map;

        internal StructOpsMapRegistration(BpfMap map) : base(map.Fd.Duplicate())
        {
            _map = map;
        }

        /// <summary>The registered struct_ops map.</summary>
        public BpfMap Map => _map;

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing && !IsDisconnected && !_map.Fd.IsClosed)
            {
                Span<byte> key = stackalloc byte[4];
                _map.TryDelete(key);
            }
            base.Dispose(disposing);
        }
    }
}
