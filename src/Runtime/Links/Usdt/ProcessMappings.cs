using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// The executable mappings of one file in a process (/proc/PID/maps), to turn a file offset into
    /// the absolute address the process runs it at. Needed only for USDT on kernels without BPF cookies,
    /// where the BPF side finds a call site's spec by instruction pointer.
    /// </summary>
    internal static class ProcessMappings
    {
        internal readonly record struct Mapping(ulong Start, ulong End, ulong FileOffset);

        /// <summary>The absolute address of <paramref name="fileOffset"/> of <paramref name="path"/> in process <paramref name="processId"/>.</summary>
        public static ulong AddressOf(int processId, string path, ulong fileOffset)
        {
            string mapsPath = $"/proc/{processId}/maps";
            string operation = $"find '{path}' in the memory of process {processId}";
            string text;
            try
            {
                text = File.ReadAllText(mapsPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BpfException(operation, Errno.ESRCH, $"cannot read {mapsPath}: {e.Message}");
            }
            string fullPath = RealPath(path);
            foreach (Mapping mapping in ExecutableMappings(text, fullPath))
            {
                if (fileOffset >= mapping.FileOffset && fileOffset - mapping.FileOffset < mapping.End - mapping.Start)
                    return mapping.Start + (fileOffset - mapping.FileOffset);
            }
            throw new BpfException(operation, Errno.ESRCH, $"no executable mapping of the file covers offset 0x{fileOffset:x}");
        }

        /// <summary>The path with every symbolic link resolved, directories included (/lib → /usr/lib): how the kernel names a mapping.</summary>
        internal static string RealPath(string path, int depth = 0)
        {
            const int MaxLinks = 40; // the kernel's own limit on links followed in one lookup
            if (depth > MaxLinks)
                return path;
            string current = "/";
            foreach (string part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                string next = Path.Combine(current, part);
                string? target = new FileInfo(next).LinkTarget;
                current = target is null ? next : RealPath(Path.GetFullPath(target, current), depth + 1);
            }
            return current;
        }

        /// <summary>Lines "start-end perms offset dev inode path" whose path is <paramref name="path"/> and whose perms include x.</summary>
        internal static IEnumerable<Mapping> ExecutableMappings(string maps, string path)
        {
            foreach (string line in maps.Split('\n'))
            {
                string[] fields = line.Split((char[]?)null, 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || fields[5].Trim() != path || fields[1].Length < 3 || fields[1][2] != 'x')
                    continue;
                int dash = fields[0].IndexOf('-');
                if (dash < 0
                    || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                    || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
                    || !ulong.TryParse(fields[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong offset))
                    continue;
                yield return new Mapping(start, end, offset);
            }
        }
    }
}
