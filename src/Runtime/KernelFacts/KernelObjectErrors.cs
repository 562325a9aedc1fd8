using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>Gives the kernel objects below the probes' answers for their error messages (<see cref="TypeSupport"/>).</summary>
    internal static class KernelObjectErrors
    {
        /// <summary>Runs once when the assembly loads: two delegate stores, no probe runs until an error asks.</summary>
        [ModuleInitializer]
        [SuppressMessage("Usage", "CA2255", Justification = "Wires a lower layer to a higher one's answers before any kernel object can fail; nothing else runs.")]
        internal static void Register()
        {
            TypeSupport.MapType = static type => FeatureProbes.MapType(type).Supported;
            TypeSupport.ProgramType = static type => FeatureProbes.ProgramType(type).Supported;
        }
    }
}
