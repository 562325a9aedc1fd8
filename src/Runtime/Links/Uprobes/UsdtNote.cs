namespace BpfSkeleton.Links
{
    /// <summary>
    /// One USDT call site as its .note.stapsdt entry records it: addresses are link-time virtual
    /// addresses, <see cref="Arguments"/> is the assembler-style spec string ("-4@%eax 8@-8(%rbp)").
    /// </summary>
    /// <param name="Provider">The provider, the first half of "provider:name".</param>
    /// <param name="Name">The probe's name.</param>
    /// <param name="Address">The probe's nop instruction.</param>
    /// <param name="Base">The address of .stapsdt.base when the note was written (for prelink adjustment).</param>
    /// <param name="SemaphoreAddress">The 2-byte semaphore's address, 0 when the probe has none.</param>
    /// <param name="Arguments">The argument spec string, empty for a probe without arguments.</param>
    public sealed record UsdtNote(string Provider, string Name, ulong Address, ulong Base, ulong SemaphoreAddress, string Arguments)
    {
        /// <summary>"provider:name at 0xaddress (arguments)" for messages.</summary>
        public override string ToString() => $"{Provider}:{Name} at 0x{Address:x} ({Arguments})";
    }
}
