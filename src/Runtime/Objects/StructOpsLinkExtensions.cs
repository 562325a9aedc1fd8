using BpfSkeleton.Links;

namespace BpfSkeleton
{
    /// <summary>Operations on a <see cref="StructOpsLink"/> that need the object model (a <see cref="BpfStructOpsMap"/>).</summary>
    public static class StructOpsLinkExtensions
    {
        /// <summary>
        /// Switches a live struct_ops link to another loaded <c>.struct_ops.link</c> map of the same
        /// type (libbpf's bpf_link__update_map): new connections use the new implementation.
        /// </summary>
        public static void UpdateMap(this StructOpsLink link, BpfStructOpsMap replacement)
        {
            StructOpsRegistration.WriteValue(replacement);
            link.UpdateMap(replacement.Map.Map);
        }
    }
}
