using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Threading;
using BpfSkeleton.Interop;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>The running kernel's build configuration (CONFIG_*), read once from /proc/config.gz or /boot.</summary>
    internal static class KernelConfig
    {
        private static readonly Lazy<Dictionary<string, string>?> s_values = new(Read);

        /// <summary>The raw value of a CONFIG_ option (y, m, a number or a quoted string), or null if unset or unknown.</summary>
        public static string? Get(string name)
            => s_values.Value is { } values && values.TryGetValue(name, out var value) ? value : null;

        /// <summary>False when neither /proc/config.gz nor /boot/config-$(uname -r) could be read.</summary>
        public static bool IsAvailable => s_values.Value is not null;

        private static Dictionary<string, string>? Read()
        {
            try
            {
                if (File.Exists("/proc/config.gz"))
                {
                    using var file = File.OpenRead("/proc/config.gz");
                    using var gzip = new GZipStream(file, CompressionMode.Decompress);
                    using var reader = new StreamReader(gzip);
                    return Parse(reader);
                }
                var boot = "/boot/config-" + KernelRelease.Current;
                if (File.Exists(boot))
                {
                    using var reader = new StreamReader(boot);
                    return Parse(reader);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return null;
        }

        /// <summary>
        /// Values given as text (<see cref="BpfOpenOptions.KernelConfig"/>), read by the same parser as the kernel's
        /// file but stricter: a line that is neither blank, a comment nor CONFIG_NAME=value is a mistake to report.
        /// </summary>
        public static Dictionary<string, string> ParseUserText(string text, string fileName)
            => Parse(new StringReader(text), fileName);

        /// <summary>.config lines: CONFIG_NAME=value kept, blank lines and # comments skipped; anything else skipped
        /// in the kernel's own file, refused in text from <paramref name="userTextOf"/>.</summary>
        private static Dictionary<string, string> Parse(TextReader reader, string? userTextOf = null)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            string? line;
            for (int number = 1; (line = reader.ReadLine()) is not null; number++)
            {
                line = line.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                int equals = line.IndexOf('=');
                if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && equals > "CONFIG_".Length)
                    values[line.Substring(0, equals)] = line.Substring(equals + 1);
                else if (userTextOf is not null)
                    throw new BpfLoadException($"{userTextOf}: BpfOpenOptions.KernelConfig line {number} ('{line}') is not CONFIG_NAME=value");
            }
            return values;
        }
    }

    /// <summary>The running kernel's release and LINUX_KERNEL_VERSION code.</summary>
    internal static class KernelRelease
    {
        private static string? s_release;

        /// <summary>The release (uname -r); every program load asks (through <see cref="VersionCode"/>).</summary>
        public static string Current => Volatile.Read(ref s_release) ?? (s_release = ReadRelease() ?? Environment.OSVersion.Version.ToString());

        /// <summary>
        /// /proc/sys/kernel/osrelease, read with open and read: File.ReadAllText's first use (its file stream, reader and
        /// encoding detection) cost a ReadyToRun process ~2 ms of its first load for a one-line file.
        /// </summary>
        private static unsafe string? ReadRelease()
        {
            int fd = Libc.Open("/proc/sys/kernel/osrelease", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0) return null;
            const int Size = 256;
            byte* bytes = stackalloc byte[Size];
            nint read = Libc.Read(fd, bytes, Size);
            Libc.Close(fd);
            if (read <= 0) return null;
            int length = (int)read;
            while (length > 0 && bytes[length - 1] <= (byte)' ') length--;
            char* chars = stackalloc char[Size];
            for (int i = 0; i < length; i++) chars[i] = (char)bytes[i];
            return new string(chars, 0, length);
        }

        private static uint s_versionCode; // 0 until computed: no kernel's version code is 0

        /// <summary>KERNEL_VERSION(a, b, c) with c capped at 255, as the kernel and libbpf compute it; every program load asks.</summary>
        public static uint VersionCode
        {
            get
            {
                uint code = Volatile.Read(ref s_versionCode);
                if (code == 0)
                    Volatile.Write(ref s_versionCode, code = ParseVersionCode(Current));
                return code;
            }
        }

        private static uint ParseVersionCode(string release)
        {
            Span<uint> parts = stackalloc uint[3];
            var index = 0;
            uint value = 0;
            foreach (var c in release)
            {
                if (c >= '0' && c <= '9') { value = value * 10 + (uint)(c - '0'); continue; }
                parts[index++] = value;
                value = 0;
                if (c != '.' || index == 3) break;
            }
            if (index < 3) parts[index] = value;
            return (parts[0] << 16) + (parts[1] << 8) + Math.Min(parts[2], 255u);
        }
    }
}
