using BpfSkeleton.Links;

namespace BpfSkeleton
{
    public sealed partial class BpfObject
    {
        private UsdtManager? _usdt;

        /// <summary>The object's USDT state, made on the first USDT attach (as libbpf does).</summary>
        internal UsdtManager UsdtManager()
        {
            lock (_links)
                return _usdt ??= global::BpfSkeleton.UsdtManager.Create(this);
        }
    }
}
