using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Registers a struct_ops map (created with <see cref="BpfMapFlags.Link"/> and filled with its
    /// programs) with the kernel through a link (6.4+); disposing unregisters it.
    /// </summary>
    public sealed class StructOpsLink : BpfLink
    {
        private StructOpsLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>
        /// Registers <paramref name="structOpsMap"/>, a loaded struct_ops map created with <see cref="BpfMapFlags.Link"/> and already holding its value.
        /// Throws <see cref="BpfException"/> when the kernel refuses (EINVAL: the map lacks the flag or was not loaded with its value).
        /// </summary>
        public static StructOpsLink Attach(BpfMap structOpsMap)
        {
            RequireStructOps(structOpsMap);
            return new StructOpsLink(Create(structOpsMap.Fd, 0, BpfAttachType.StructOps, 0, default, $"register struct_ops {structOpsMap}"));
        }

        /// <summary>
        /// Keeps the registration past this link object and this process: pins the link at
        /// <paramref name="pinPath"/> (on bpffs), so disposing only closes this descriptor. Remove
        /// the registration later by deleting the pin (<c>rm pinPath</c>), which drops the last reference.
        /// </summary>
        public void Disconnect(string pinPath) => Pin(pinPath);

        /// <summary>Atomically switches the registration to another struct_ops map of the same type (BPF_LINK_UPDATE new_map_fd).</summary>
        public void UpdateMap(BpfMap newMap, BpfMap? expected = null)
        {
            RequireStructOps(newMap);
            BpfErrors.Check(UpdateTarget(newMap.Fd, expected?.Fd), $"update struct_ops link to {newMap}");
        }

        private static void RequireStructOps(BpfMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            if (map.Type != BpfMapType.StructOps || (map.Flags & BpfMapFlags.Link) == 0)
                throw new ArgumentException($"{map} is not a struct_ops map created with BPF_F_LINK.", nameof(map));
        }
    }
}
