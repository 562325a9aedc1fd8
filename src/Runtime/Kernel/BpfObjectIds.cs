using System.Collections.Generic;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>Lists the ids of all BPF objects of a kind currently loaded in the kernel.</summary>
    public static class BpfObjectIds
    {
        public static List<uint> Programs() => Collect(BpfCommand.ProgGetNextId);

        public static List<uint> Maps() => Collect(BpfCommand.MapGetNextId);

        public static List<uint> Links() => Collect(BpfCommand.LinkGetNextId);

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
