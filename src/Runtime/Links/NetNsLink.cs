using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>An sk_lookup or flow_dissector program attached to a network namespace.</summary>
    public sealed class NetNsLink : BpfLink
    {
        /// <summary>The calling thread's network namespace (threads can be in different ones).</summary>
        public const string CurrentThreadNamespace = "/proc/thread-self/ns/net";

        private NetNsLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches to the namespace at <paramref name="namespacePath"/> (e.g. /var/run/netns/NAME or /proc/PID/ns/net).</summary>
        public static NetNsLink Attach(BpfProgramHandle program, BpfAttachType attachType, string namespacePath = CurrentThreadNamespace)
        {
            if (attachType is not (BpfAttachType.SkLookup or BpfAttachType.FlowDissector))
                throw new ArgumentOutOfRangeException(nameof(attachType), attachType, "network namespace links are SkLookup or FlowDissector.");
            using var netns = new BpfFileDescriptor();
            int opened = Sys.Open(namespacePath, Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (opened < 0)
                BpfErrors.Throw($"open network namespace '{namespacePath}'", -opened);
            netns.Adopt(opened);
            using var target = new FdLease(netns);
            return new NetNsLink(Create(program.Fd, target.UFd, attachType, 0, default, $"attach {program} to network namespace {namespacePath} ({attachType})"));
        }
    }
}
