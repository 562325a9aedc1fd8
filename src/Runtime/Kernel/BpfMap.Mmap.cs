using System;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed partial class BpfMap
    {
        /// <summary>
        /// Maps the array's values into this process (the map needs <see cref="BpfMapFlags.Mmapable"/>).
        /// Writable unless the map is frozen or read-only to system calls; if the kernel refuses a
        /// writable mapping because the map was frozen elsewhere, a read-only one is returned.
        /// </summary>
        public BpfMappedRegion MemoryMap()
        {
            bool writable = !IsFrozen && (Flags & BpfMapFlags.ReadOnly) == 0;
            if (!writable)
                return MemoryMap(writable: false);
            try
            {
                return MemoryMap(writable: true);
            }
            catch (BpfPermissionException e) when (e.Errno == Errno.EPERM)
            {
                return MemoryMap(writable: false);
            }
        }

        /// <summary>Maps the array's values (or the arena's pages) read-write or read-only.</summary>
        public BpfMappedRegion MemoryMap(bool writable)
        {
            if ((RequestedFlags & BpfMapFlags.Mmapable) == 0)
                throw new InvalidOperationException($"{this} was not created with BPF_F_MMAPABLE.");
            if (Type == BpfMapType.Arena)
                return MapArena(writable);
            if (Type != BpfMapType.Array)
                throw new InvalidOperationException($"{this}: MemoryMap maps array values and arenas; ring buffers have their own layout.");
            // Array elements are laid out at an 8-byte aligned stride, in the mapping as in the kernel.
            long length = (long)((ValueSize + 7) & ~7u) * MaxEntries;
            if (length > int.MaxValue)
                throw new NotSupportedException($"{this} is larger than 2 GiB.");
            return BpfMappedRegion.Map(Fd, (int)length, 0, writable, this.ToString());
        }

        /// <summary>
        /// An arena's max_entries pages, where map_extra says or, when it is 0, where the kernel
        /// chooses. The first mapping fixes the arena's user address, which the verifier needs before
        /// any program that uses the arena loads (libbpf maps it right after creating it, as the
        /// object loader does). A fixed address never replaces another mapping of this process.
        /// </summary>
        private BpfMappedRegion MapArena(bool writable)
        {
            long length = (long)MaxEntries * Environment.SystemPageSize;
            return BpfMappedRegion.Map(Fd, length, 0, writable, this.ToString(), at: Info.MapExtra,
                invalidHint: "an arena has one user address: once mapped (by any process) it maps only there, so an arena to share needs a map_extra address");
        }
    }
}
