using System;

namespace BpfSkeleton.Kernel
{
    /// <summary>BPF_PROG_LOAD prog_flags (6.18 UAPI).</summary>
    [Flags]
    public enum BpfProgramLoadFlags : uint
    {
        /// <summary>No flags.</summary>
        None = 0,
        /// <summary>BPF_F_STRICT_ALIGNMENT.</summary>
        StrictAlignment = 1u << 0,
        /// <summary>BPF_F_ANY_ALIGNMENT.</summary>
        AnyAlignment = 1u << 1,
        /// <summary>BPF_F_TEST_RND_HI32.</summary>
        TestRandomHigh32 = 1u << 2,
        /// <summary>BPF_F_TEST_STATE_FREQ.</summary>
        TestStateFrequency = 1u << 3,
        /// <summary>BPF_F_SLEEPABLE: the program may sleep (fentry/lsm/iter/uprobe/syscall).</summary>
        Sleepable = 1u << 4,
        /// <summary>BPF_F_XDP_HAS_FRAGS: the XDP program handles multi-buffer packets.</summary>
        XdpHasFragments = 1u << 5,
        /// <summary>BPF_F_XDP_DEV_BOUND_ONLY.</summary>
        XdpDeviceBoundOnly = 1u << 6,
        /// <summary>BPF_F_TEST_REG_INVARIANTS.</summary>
        TestRegisterInvariants = 1u << 7,
        /// <summary>BPF_F_TOKEN_FD.</summary>
        TokenFd = 1u << 16,
    }
}
