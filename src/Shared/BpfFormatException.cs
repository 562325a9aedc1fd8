using System;

namespace BpfSkeleton
{
    /// <summary>
    /// A BPF object (ELF, BTF or BTF.ext) is malformed or uses something this reader does not
    /// support. Names the file, the section and the byte offset where reading stopped.
    /// </summary>
#if BPF_GENERATOR
    public sealed class BpfFormatException : Exception
#else
    // In the runtime, one of the BpfException family (Errno 0: no kernel call failed).
    public sealed class BpfFormatException : BpfException
#endif
    {
        /// <param name="fileName">The object's file name, or a label for bytes.</param>
        /// <param name="section">The ELF section being read, or null for the ELF header.</param>
        /// <param name="offset">Where reading stopped, from the start of the section (or file).</param>
        /// <param name="problem">What is wrong.</param>
        public BpfFormatException(string fileName, string? section, long offset, string problem)
#if BPF_GENERATOR
            : base(Describe(fileName, section, offset, problem))
#else
            : base("read object", Describe(fileName, section, offset, problem), null)
#endif
        {
            FileName = fileName;
            Section = section;
            Offset = offset;
            Problem = problem;
        }

        /// <summary>The object's file name (or a caller-supplied label for in-memory bytes).</summary>
        public string FileName { get; }

        /// <summary>The ELF section being read, or null for the ELF header itself.</summary>
        public string? Section { get; }

        /// <summary>Byte offset of the problem, relative to the start of <see cref="Section"/> (or the file).</summary>
        public long Offset { get; }

        /// <summary>What is wrong, without the location.</summary>
        public string Problem { get; }

        private static string Describe(string fileName, string? section, long offset, string problem)
            => section is null
                ? $"{fileName}: at offset 0x{offset:x}: {problem}"
                : $"{fileName}: section '{section}' at offset 0x{offset:x}: {problem}";
    }
}
