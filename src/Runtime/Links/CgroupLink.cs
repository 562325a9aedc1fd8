using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>A cgroup program attached to a cgroup v2 directory through a BPF link.</summary>
    public sealed class CgroupLink : BpfLink
    {
        private CgroupLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches to the cgroup at <paramref name="cgroupPath"/> (a cgroup v2 directory).</summary>
        public static CgroupLink Attach(BpfProgramHandle program, string cgroupPath, BpfAttachType attachType, uint flags = 0)
        {
            using var cgroup = new BpfFileDescriptor();
            int opened = Sys.Open(cgroupPath, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (opened < 0)
                BpfErrors.Throw($"open cgroup '{cgroupPath}'", -opened);
            cgroup.Adopt(opened);
            return Attach(program, cgroup, attachType, flags);
        }

        /// <summary>Attaches to the cgroup behind an open directory descriptor.</summary>
        public static CgroupLink Attach(BpfProgramHandle program, BpfFileDescriptor cgroup, BpfAttachType attachType, uint flags = 0)
        {
            using var target = new FdLease(cgroup);
            return new CgroupLink(Create(program.Fd, target.UFd, attachType, flags, default, $"attach {program} to cgroup ({attachType})"));
        }
    }
}
