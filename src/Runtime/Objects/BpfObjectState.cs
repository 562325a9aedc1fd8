namespace BpfSkeleton
{
    /// <summary>
    /// The life of a <see cref="BpfObject"/>: Opened → Loaded → (Attached ⇄ Detached) → Disposed.
    /// Specs, global data initial values and struct_ops shadows are editable only while Opened.
    /// </summary>
    public enum BpfObjectState
    {
        /// <summary>Parsed; nothing exists in the kernel yet. Everything is editable.</summary>
        Opened,
        /// <summary>Maps created, programs verified and loaded; nothing is active.</summary>
        Loaded,
        /// <summary>Programs attached and struct_ops maps registered.</summary>
        Attached,
        /// <summary>Everything attached was detached; can be attached again.</summary>
        Detached,
        /// <summary>A load failed; everything it created was released. The object is unusable.</summary>
        Failed,
        /// <summary>Disposed: every descriptor is closed.</summary>
        Disposed,
    }
}
