using System;
using System.Collections.Generic;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;

namespace BpfSkeleton.Tool
{
    /// <summary>
    /// bpfsk struct-ops list|unregister: the struct_ops maps in the kernel, by id, name and kernel struct, and a
    /// way to unregister one left behind by a process (a disconnected or pinned registration).
    /// </summary>
    internal static class StructOpsCommands
    {
        private const string ValueTypePrefix = "bpf_struct_ops_";

        public static int Run(ReadOnlySpan<string> args) => args.Length switch
        {
            1 when args[0] == "list" => List(),
            2 when args[0] == "unregister" => Unregister(args[1]),
            _ => Usage.Show("struct-ops takes 'list' or 'unregister ID|NAME'"),
        };

        private static int List()
        {
            var links = LinksByMap();
            Console.WriteLine($"{"id",6}  {"name",-16} {"kernel struct",-24} registration");
            foreach (var map in StructOpsMaps())
                using (map)
                {
                    var info = map.GetInfo();
                    string registration = (info.Flags & BpfMapFlags.Link) != 0
                        ? links.TryGetValue(info.Id, out var link) ? $"link {link}" : "link-based, not registered"
                        : HasValue(map) ? "plain, registered by its value" : "plain, not registered";
                    Console.WriteLine($"{info.Id,6}  {info.Name,-16} {KernelStruct(info),-24} {registration}");
                }
            return 0;
        }

        private const int EINPROGRESS = 115;

        private static int Unregister(string idOrName)
        {
            int done = 0;
            var links = LinksByMap();
            foreach (var map in StructOpsMaps())
                using (map)
                {
                    var info = map.GetInfo();
                    if (!(uint.TryParse(idOrName, out var id) ? info.Id == id : info.Name == idOrName)) continue;
                    bool unregistered;
                    if (links.TryGetValue(info.Id, out var linkId))
                    {
                        // A .struct_ops.link map is registered by its link: detaching the link unregisters it.
                        using var link = BpfLink.FromId(linkId);
                        link.Detach();
                        unregistered = true;
                    }
                    else
                    {
                        // A plain struct_ops map is registered by its value: deleting it unregisters. A map with no
                        // value (another process's, loaded but not registered) is not a registration.
                        try
                        {
                            unregistered = (info.Flags & BpfMapFlags.Link) == 0 && map.TryDelete(0u);
                        }
                        catch (BpfException)
                        {
                            unregistered = false; // EINPROGRESS: already being unregistered
                        }
                    }
                    if (!unregistered) continue;
                    Console.WriteLine($"unregistered struct_ops map {info.Id} '{info.Name}' ({KernelStruct(info)})");
                    done++;
                }
            if (done > 0) return 0;
            Console.Error.WriteLine($"bpfsk: no registered struct_ops map with id or name '{idOrName}' (see bpfsk struct-ops list)");
            return 1;
        }

        /// <summary>A plain struct_ops map is registered exactly while it holds its one value.</summary>
        private static bool HasValue(BpfMap map)
        {
            Span<byte> key = stackalloc byte[4];
            key.Clear();
            var value = new byte[map.ValueSize];
            return map.TryLookup(key, value);
        }

        private static IEnumerable<BpfMap> StructOpsMaps()
        {
            foreach (var id in BpfObjectIds.Maps())
            {
                BpfMap map;
                try
                {
                    map = BpfMap.FromId(id);
                }
                catch (BpfException)
                {
                    continue; // gone since it was listed
                }
                if (map.Type == BpfMapType.StructOps) yield return map;
                else map.Dispose();
            }
        }

        /// <summary>Struct_ops links by the map they register.</summary>
        private static Dictionary<uint, uint> LinksByMap()
        {
            var links = new Dictionary<uint, uint>();
            foreach (var id in BpfObjectIds.Links())
            {
                try
                {
                    using var link = BpfLink.FromId(id);
                    if (link.Info.Type == BpfLinkType.StructOps && link.Info.MapId != 0) links[link.Info.MapId] = id;
                }
                catch (BpfException)
                {
                    // gone since it was listed
                }
            }
            return links;
        }

        /// <summary>The kernel struct a struct_ops map implements, from its vmlinux value type's name.</summary>
        private static string KernelStruct(BpfMapInfo info)
        {
            if (info.BtfVmlinuxValueTypeId == 0) return "?";
            try
            {
                var name = KernelTypes.Vmlinux.GetType((int)info.BtfVmlinuxValueTypeId).Name;
                return name.StartsWith(ValueTypePrefix, StringComparison.Ordinal) ? name.Substring(ValueTypePrefix.Length) : name;
            }
            catch (BpfException)
            {
                return $"type {info.BtfVmlinuxValueTypeId}";
            }
        }
    }
}
