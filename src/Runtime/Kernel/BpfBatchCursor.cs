using System.Runtime.CompilerServices;

namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// Position of a batch walk over a map (the kernel's opaque in_batch/out_batch token). Start with
    /// <c>default</c>; <see cref="Done"/> becomes true once the walk reached the end.
    /// </summary>
    public struct BpfBatchCursor
    {
        /// <summary>Largest token: hash maps use a 4-byte bucket index, array maps a key (4 bytes).</summary>
        internal const int TokenSize = 32;

        internal Token In;
        internal Token Out;

        internal bool Started { get; set; }

        /// <summary>True when the previous batch call reached the end of the map.</summary>
        public bool Done { get; internal set; }

        [InlineArray(TokenSize)]
        internal struct Token
        {
            private byte _element;
        }
    }
}
