namespace BpfSkeleton.Links
{
    /// <summary>Options of <see cref="BpfProgram.AttachUsdt"/>.</summary>
    public sealed class UsdtOptions
    {
        /// <summary>
        /// The value bpf_usdt_cookie() returns in the program, the same for every call site of the probe.
        /// (The BPF cookie itself carries the spec id, so bpf_get_attach_cookie() is not the user's.)
        /// </summary>
        public ulong Cookie { get; init; }
    }
}
