using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Where a tcx (or other mprog) attachment goes among the programs already on the hook:
    /// flags BPF_F_BEFORE / BPF_F_AFTER with a relative program or link, named by id.
    /// </summary>
    public readonly record struct TcxPosition(uint Flags, uint RelativeId)
    {
        internal const uint BeforeFlag = 1u << 3;  // BPF_F_BEFORE
        internal const uint AfterFlag = 1u << 4;   // BPF_F_AFTER
        internal const uint IdFlag = 1u << 5;      // BPF_F_ID: the relative is an id, not an fd
        internal const uint LinkFlag = 1u << 13;   // BPF_F_LINK: the relative is a link

        /// <summary>Appended after the existing programs (the kernel's default).</summary>
        public static TcxPosition Default => default;

        /// <summary>Before every attached program.</summary>
        public static TcxPosition First => new(BeforeFlag, 0);

        /// <summary>After every attached program.</summary>
        public static TcxPosition Last => new(AfterFlag, 0);

        /// <summary>Immediately before <paramref name="program"/>, which must be attached to the same hook.</summary>
        public static TcxPosition Before(BpfProgramHandle program) => new(BeforeFlag | IdFlag, program.Id);

        /// <summary>Immediately after <paramref name="program"/>, which must be attached to the same hook.</summary>
        public static TcxPosition After(BpfProgramHandle program) => new(AfterFlag | IdFlag, program.Id);

        /// <summary>Immediately before the program attached by <paramref name="link"/> (same hook).</summary>
        public static TcxPosition Before(BpfLink link) => new(BeforeFlag | IdFlag | LinkFlag, link.Info.Id);

        /// <summary>Immediately after the program attached by <paramref name="link"/> (same hook).</summary>
        public static TcxPosition After(BpfLink link) => new(AfterFlag | IdFlag | LinkFlag, link.Info.Id);
    }
}
