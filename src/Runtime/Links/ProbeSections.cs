using System;
using System.Globalization;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Links
{
    /// <summary>A uprobe named by a section: "uprobe/&lt;binary&gt;:&lt;function&gt;[+&lt;offset&gt;]".</summary>
    internal readonly record struct UprobeSectionTarget(string Binary, string Function, ulong Offset, bool IsReturn);

    /// <summary>A uprobe.multi named by a section: "uprobe.multi/&lt;binary&gt;:&lt;pattern&gt;".</summary>
    internal readonly record struct UprobeMultiSectionTarget(string Binary, string Pattern, bool IsReturn);

    /// <summary>A USDT probe named by a section: "usdt/&lt;binary&gt;:&lt;provider&gt;:&lt;name&gt;".</summary>
    internal readonly record struct UsdtSectionTarget(string Binary, string Provider, string Name);

    /// <summary>A kprobe named by a section: "kprobe/&lt;function&gt;[+&lt;offset&gt;]".</summary>
    internal readonly record struct KprobeSectionTarget(string Function, ulong Offset, bool IsReturn);

    /// <summary>
    /// Reads the targets of probe sections with libbpf's syntax. The section's definition gives the
    /// prefix ("uprobe", "uretprobe.s", "kprobe.multi", …); the rest after '/' is the target.
    /// Malformed targets throw <see cref="FormatException"/> with libbpf's explanation.
    /// </summary>
    internal static class ProbeSections
    {
        public static UprobeSectionTarget ParseUprobe(SectionDefinition definition, string target)
        {
            bool isReturn = definition.Prefix.StartsWith("uretprobe", StringComparison.Ordinal);
            var (binary, location) = SplitBinary(definition, target, "function[+offset]");
            var (function, offset) = SplitOffset(location);
            if (isReturn && offset != 0)
                throw new FormatException($"section '{definition.Prefix}/{target}': uretprobes do not support an offset");
            return new UprobeSectionTarget(binary, function, offset, isReturn);
        }

        public static UprobeMultiSectionTarget ParseUprobeMulti(SectionDefinition definition, string target)
        {
            var (binary, pattern) = SplitBinary(definition, target, "pattern");
            return new UprobeMultiSectionTarget(binary, pattern, definition.Prefix.StartsWith("uretprobe", StringComparison.Ordinal));
        }

        /// <summary>libbpf reads the target as "%[^:]:%[^:]:%[^:]": the path cannot contain ':'.</summary>
        public static UsdtSectionTarget ParseUsdt(SectionDefinition definition, string target)
        {
            string[] parts = target.Split(':');
            if (parts.Length != 3 || Array.Exists(parts, part => part.Length == 0))
                throw new FormatException($"section '{definition.Prefix}/{target}' is not \"usdt/<path>:<provider>:<name>\"");
            return new UsdtSectionTarget(parts[0], parts[1], parts[2]);
        }

        public static KprobeSectionTarget ParseKprobe(SectionDefinition definition, string target)
        {
            bool isReturn = definition.Prefix.StartsWith("kretprobe", StringComparison.Ordinal);
            var (function, offset) = SplitOffset(target);
            if (!IsKernelSymbolName(function))
                throw new FormatException($"section '{definition.Prefix}/{target}': '{function}' is not a kernel function name");
            if (isReturn && offset != 0)
                throw new FormatException($"section '{definition.Prefix}/{target}': kretprobes do not support an offset");
            return new KprobeSectionTarget(function, offset, isReturn);
        }

        public static bool IsReturnSyscall(SectionDefinition definition) => definition.Prefix == "kretsyscall";

        public static bool IsReturnMulti(SectionDefinition definition) => definition.Prefix.StartsWith("kretprobe", StringComparison.Ordinal);

        /// <summary>"binary:rest" — the binary may itself contain '/', so split at the first ':'.</summary>
        private static (string Binary, string Remainder) SplitBinary(SectionDefinition definition, string target, string expected)
        {
            int colon = target.IndexOf(':');
            if (colon <= 0 || colon == target.Length - 1)
                throw new FormatException($"section '{definition.Prefix}/{target}' is missing ':{expected}' after the binary path");
            return (target.Substring(0, colon), target.Substring(colon + 1));
        }

        /// <summary>"name+offset" as C's %li reads it (decimal, 0x hex, 0 octal); a '+' that is not a whole number stays in the name.</summary>
        private static (string Name, ulong Offset) SplitOffset(string location)
        {
            int plus = location.LastIndexOf('+');
            if (plus > 0 && TryParseCInteger(location.Substring(plus + 1), out ulong offset))
                return (location.Substring(0, plus), offset);
            return (location, 0);
        }

        internal static bool TryParseCInteger(string text, out ulong value)
        {
            value = 0;
            if (text.Length == 0)
                return false;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
            if (text.Length > 1 && text[0] == '0')
            {
                foreach (char c in text)
                {
                    if (c < '0' || c > '7')
                        return false;
                    value = value * 8 + (ulong)(c - '0');
                }
                return true;
            }
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>libbpf accepts [a-zA-Z0-9_.] in kprobe function names (the '.' for compiler clones like "foo.isra.0").</summary>
        private static bool IsKernelSymbolName(string name)
        {
            if (name.Length == 0)
                return false;
            foreach (char c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.'))
                    return false;
            }
            return true;
        }
    }
}
