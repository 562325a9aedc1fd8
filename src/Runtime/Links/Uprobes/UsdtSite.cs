namespace BpfSkeleton.Links
{
    /// <summary>A USDT call site placed in its file: where the uprobe goes and where its semaphore lives.</summary>
    /// <param name="Note">The note the site comes from.</param>
    /// <param name="Address">The probe's virtual address after prelink adjustment (link-time; the load bias is not added).</param>
    /// <param name="FileOffset">The uprobe's offset into the binary.</param>
    /// <param name="SemaphoreOffset">The semaphore's file offset (the uprobe's ref_ctr_offset), 0 when there is none.</param>
    public sealed record UsdtSite(UsdtNote Note, ulong Address, ulong FileOffset, ulong SemaphoreOffset);
}
