using System;
using System.Globalization;
using System.IO;

namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// The number of possible CPUs (from /sys/devices/system/cpu/possible), which sizes every
    /// per-CPU map value. Read once per process.
    /// </summary>
    public static class PossibleCpus
    {
        private const string Path = "/sys/devices/system/cpu/possible";
        private static int s_count;

        /// <summary>
        /// The number of possible CPUs (the highest possible CPU number plus one), read once per process. Throws <see cref="System.IO.IOException"/> when the sysfs file cannot be read.
        /// </summary>
        public static int Count
        {
            get
            {
                int count = s_count;
                if (count == 0)
                    s_count = count = Parse(File.ReadAllText(Path));
                return count;
            }
        }

        /// <summary>Parses a CPU list such as "0-3" or "0,2-5"; the count is the highest CPU + 1.</summary>
        internal static int Parse(string list)
        {
            int highest = -1;
            foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int dash = part.IndexOf('-');
                string last = dash < 0 ? part : part[(dash + 1)..];
                highest = Math.Max(highest, int.Parse(last, NumberStyles.None, CultureInfo.InvariantCulture));
            }
            if (highest < 0)
                throw new FormatException($"cannot parse possible CPU list '{list}'");
            return highest + 1;
        }
    }
}
