using System;

namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// Whether this kernel has a map or program type, asked only to explain an EINVAL from a create or load.
    /// The answer is the feature probes' (<c>KernelFacts.FeatureProbes</c>, the layer above, which creates kernel
    /// objects to ask); it registers them when the assembly loads (<c>KernelFacts.KernelObjectErrors</c>), so kernel
    /// objects never reach up to it.
    /// </summary>
    internal static class TypeSupport
    {
        /// <summary>Whether the kernel creates maps of a type; "yes" until the probes are registered.</summary>
        internal static Func<BpfMapType, bool> MapType = static _ => true;

        /// <summary>Whether the kernel loads programs of a type; "yes" until the probes are registered.</summary>
        internal static Func<BpfProgramType, bool> ProgramType = static _ => true;
    }
}
