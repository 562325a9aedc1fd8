using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Tracepoint ids from tracefs. Reads the files directly rather than asking whether they exist: a mounted
    /// tracefs this process may not read (mode 0700 for a non-root user with CAP_BPF + CAP_PERFMON) answers
    /// "does not exist" to an existence check, which hid EACCES behind "tracefs is not mounted".
    /// </summary>
    internal static class Tracefs
    {
        private static readonly string[] s_roots = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

        /// <summary>The tracepoint's numeric id (events/&lt;category&gt;/&lt;name&gt;/id).</summary>
        public static ulong TracepointId(string category, string name)
        {
            string operation = $"find tracepoint {category}/{name}";
            string? denied = null;
            foreach (string root in s_roots)
            {
                string path = Path.Combine(root, "events", category, name, "id");
                try
                {
                    return ulong.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
                }
                catch (UnauthorizedAccessException)
                {
                    denied ??= path;
                }
                catch (IOException)
                {
                    // Not there (no such tracepoint, or tracefs not at this root): try the next root.
                }
            }
            if (denied is not null)
                throw new BpfPermissionException(operation, Errno.EACCES,
                    $"tracefs is mounted but this process may not read {denied}; tracepoints need read access to tracefs: run as root, or mount it readable (mount -o remount,mode=0755 /sys/kernel/tracing, or gid=<a group of this user>)");
            var mounts = MountPoints();
            throw new BpfException(operation, Errno.ENOENT, mounts.Count > 0
                ? $"no such tracepoint under {string.Join(" or ", mounts)}/events"
                : "tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)");
        }

        /// <summary>Where tracefs is mounted, from /proc/self/mountinfo (readable even where tracefs is not).</summary>
        internal static List<string> MountPoints()
        {
            var mounts = new List<string>();
            try
            {
                foreach (string line in File.ReadLines("/proc/self/mountinfo"))
                {
                    // "id parent major:minor root mountpoint options ... - fstype source superoptions"
                    int separator = line.IndexOf(" - ", StringComparison.Ordinal);
                    if (separator < 0) continue;
                    string[] after = line.Substring(separator + 3).Split(' ');
                    string[] before = line.Substring(0, separator).Split(' ');
                    if (after.Length > 0 && after[0] == "tracefs" && before.Length > 4)
                        mounts.Add(before[4]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // No mountinfo: say nothing is mounted, which the message then suggests fixing.
            }
            return mounts;
        }
    }
}
