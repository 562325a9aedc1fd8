using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace BpfSkeleton.PerfBuffer
{
    /// <summary>The CPUs currently online (/sys/devices/system/cpu/online), where perf events can be opened.</summary>
    internal static class OnlineCpus
    {
        private const string Path = "/sys/devices/system/cpu/online";

        internal static int[] Read() => Parse(File.ReadAllText(Path));

        /// <summary>Parses a CPU list such as "0-3" or "0,2-5,7" into the CPU numbers.</summary>
        internal static int[] Parse(string list)
        {
            var cpus = new List<int>();
            foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int dash = part.IndexOf('-');
                int first = int.Parse(dash < 0 ? part : part[..dash], NumberStyles.None, CultureInfo.InvariantCulture);
                int last = dash < 0 ? first : int.Parse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
                if (last < first)
                    throw new FormatException($"cannot parse CPU list '{list}'");
                for (int cpu = first; cpu <= last; cpu++)
                    cpus.Add(cpu);
            }
            if (cpus.Count == 0)
                throw new FormatException($"cannot parse CPU list '{list}'");
            return cpus.ToArray();
        }
    }
}
