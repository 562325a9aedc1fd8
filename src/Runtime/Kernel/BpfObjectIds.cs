using System.Collections.Generic;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>Lists the ids of all BPF objects of a kind currently loaded in the kernel.</summary>
    public static class BpfObjectIds
    {
        /// <summary>Ids of all loaded programs, ascending. Listing needs CAP_SYS_ADMIN; throws <see cref="BpfPermissionException"/> without it.</summary>
        public static List<uint> Programs() => Collect(BpfCommand.ProgGetNextId);

        /// <summary>Ids of all maps, ascending. Needs CAP_SYS_ADMIN, as <see cref="Programs"/>.</summary>
        public static List<uint> Maps() => Collect(BpfCommand.MapGetNextId);

        /// <summary>Ids of all links, ascending. Needs CAP_SYS_ADMIN, as <see cref="Programs"/>.</summary>
        public static List<uint> Links() => Collect(BpfCommand.LinkGetNextId);

        /// <summary>Ids of all BTF objects (vmlinux, modules, loaded BTF), ascending. Needs CAP_SYS_ADMIN, as <see cref="Programs"/>.</summary>
        public static List<uint> Btfs() => Collect(BpfCommand.BtfGetNextId);

        private static List<uint> Collect(BpfCommand command)
        {
            var ids = new List<uint>();
            for (uint id = BpfObjects.NextId(command, 0); id != 0; id = BpfObjects.NextId(command, id))
                ids.Add(id);
            return ids;
        }
    }
}
