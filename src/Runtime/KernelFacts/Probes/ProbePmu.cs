using System;
using System.Globalization;
using System.IO;
using BpfSkeleton.Interop;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>
    /// A dynamic perf PMU that creates probes from perf_event_open alone ("kprobe" or "uprobe"):
    /// its perf type and the config bit that turns a probe into a return probe.
    /// </summary>
    internal sealed class ProbePmu
    {
        internal const string DevicesRoot = "/sys/bus/event_source/devices";

        internal ProbePmu(string name, uint type, int retprobeBit)
        {
            Name = name;
            Type = type;
            RetprobeBit = retprobeBit;
        }

        /// <summary>"kprobe" or "uprobe".</summary>
        public string Name { get; }

        /// <summary>perf_event_attr.type for probes of this PMU (from devices/&lt;name&gt;/type).</summary>
        public uint Type { get; }

        /// <summary>The perf_event_attr.config bit that asks for a return probe (from format/retprobe).</summary>
        public int RetprobeBit { get; }

        private static readonly Lazy<(ProbePmu? Pmu, string Reason)> s_kprobe = new(() => Read("kprobe", "CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS"));
        private static readonly Lazy<(ProbePmu? Pmu, string Reason)> s_uprobe = new(() => Read("uprobe", "CONFIG_UPROBES", "CONFIG_UPROBE_EVENTS"));

        /// <summary>The kprobe PMU, or null with <see cref="KprobeUnavailableReason"/>.</summary>
        public static ProbePmu? Kprobe => s_kprobe.Value.Pmu;

        public static string KprobeUnavailableReason => s_kprobe.Value.Reason;

        public static ProbePmu? Uprobe => s_uprobe.Value.Pmu;

        public static string UprobeUnavailableReason => s_uprobe.Value.Reason;

        /// <summary>The kprobe PMU; throws <see cref="BpfNotSupportedException"/> saying why it is missing.</summary>
        /// <summary>Whether uprobes take a reference counter (a USDT semaphore) the kernel maintains (Linux 4.20+).</summary>
        public static bool SupportsRefCounter => File.Exists(Path.Combine(DevicesRoot, "uprobe", "format", "ref_ctr_offset"));

        public static ProbePmu RequireKprobe(string operation) => Kprobe ?? throw new BpfNotSupportedException(operation, Errno.EOPNOTSUPP, KprobeUnavailableReason);

        public static ProbePmu RequireUprobe(string operation) => Uprobe ?? throw new BpfNotSupportedException(operation, Errno.EOPNOTSUPP, UprobeUnavailableReason);

        private static (ProbePmu?, string) Read(string name, params string[] configs)
        {
            string directory = Path.Combine(DevicesRoot, name);
            if (!Directory.Exists(directory))
                return (null, $"{name} PMU not available: {MissingConfig(configs)} (no {directory})");
            try
            {
                uint type = uint.Parse(File.ReadAllText(Path.Combine(directory, "type")).Trim(), CultureInfo.InvariantCulture);
                int bit = ParseConfigBit(File.ReadAllText(Path.Combine(directory, "format", "retprobe")));
                return (new ProbePmu(name, type, bit), $"{name} PMU: type {type}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return (null, $"{name} PMU not available: cannot read {directory}: {e.Message}");
            }
        }

        /// <summary>Parses a PMU format file such as "config:0" into the bit number.</summary>
        internal static int ParseConfigBit(string format)
        {
            string text = format.Trim();
            const string prefix = "config:";
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
                throw new FormatException($"PMU format '{text}' is not \"config:<bit>\"");
            string bits = text.Substring(prefix.Length);
            int dash = bits.IndexOf('-');
            int bit = int.Parse(dash < 0 ? bits : bits.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture);
            if (bit > 63)
                throw new FormatException($"PMU format '{text}' names bit {bit}, outside the 64-bit config");
            return bit;
        }

        /// <summary>Which kernel option is off, when the kernel config says so; else the likely one.</summary>
        private static string MissingConfig(string[] configs)
        {
            if (KernelConfig.IsAvailable)
            {
                foreach (string config in configs)
                {
                    if (KernelConfig.Get(config) is null)
                        return $"{config} is off";
                }
                return $"{string.Join(" and ", configs)} are on, but the PMU is not registered";
            }
            return $"{configs[configs.Length - 1]} is probably off";
        }
    }
}
