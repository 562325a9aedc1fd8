using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>A BPF iterator (iter/...) program attached as a link; each <see cref="OpenIterator"/> runs it anew.</summary>
    public sealed unsafe class IterLink : BpfLink
    {
        private IterLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches an iterator program; <paramref name="map"/> is the map to walk for iter/bpf_map_elem and similar targets.</summary>
        public static IterLink Attach(BpfProgramHandle program, BpfMap? map = null)
        {
            // union bpf_iter_link_info is 16 bytes; its first member is the map fd.
            uint* info = stackalloc uint[4];
            using var mapLease = FdLease.Of(map?.Fd);
            info[0] = mapLease.UFd;
            var attr = map is null ? default : new LinkCreateAttr { IterInfo = (ulong)info, IterInfoLength = 16 };
            return new IterLink(Create(program.Fd, 0, BpfAttachType.TraceIter, 0, attr, $"attach iterator {program}"));
        }

        /// <summary>Starts one iteration (BPF_ITER_CREATE); reading the stream runs the program.</summary>
        public BpfIteratorStream OpenIterator()
        {
            using var link = new FdLease(Fd);
            var attr = new SingleFdAttr { Value = link.UFd };
            var fd = new BpfFileDescriptor();
            int result = Sys.Bpf(BpfCommand.IterCreate, ref attr);
            if (result < 0)
            {
                fd.Dispose();
                BpfErrors.Throw("create iterator", -result);
            }
            fd.Adopt(result);
            return new BpfIteratorStream(fd);
        }
    }
}
