using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Reads the dynamic linker's cache (/etc/ld.so.cache, the "glibc-ld.so.cache1.1" format that
    /// ldconfig writes) to find where a library soname lives, the way the dynamic linker would.
    /// </summary>
    internal static class LdSoCache
    {
        internal const string DefaultPath = "/etc/ld.so.cache";

        private const string Magic = "glibc-ld.so.cache1.1";
        private const int HeaderSize = 48;  // magic+version (20), nlibs, len_strings, flags+pad, extension offset, 3 unused
        private const int EntrySize = 24;   // flags, key, value, osversion, hwcap
        private const int ArchitectureMask = 0xff00;
        private const int ElfLibc6 = 0x0003;

        /// <summary>
        /// The path of <paramref name="soname"/> for this process's architecture, or null when the
        /// cache is missing, unreadable, of an unknown format, or has no such entry.
        /// </summary>
        public static string? Find(string soname, string cachePath = DefaultPath)
        {
            byte[] cache;
            try
            {
                cache = File.ReadAllBytes(cachePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            foreach (var (name, path, flags) in Entries(cache))
            {
                if (name == soname && (flags & 0xff) == ElfLibc6 && (flags & ArchitectureMask) == ArchitectureFlag)
                    return path;
            }
            return null;
        }

        /// <summary>All entries of a cache image in the new format; empty when it is not one.</summary>
        internal static IEnumerable<(string Name, string Path, int Flags)> Entries(byte[] cache)
        {
            // Old glibc wrote an "ld.so-1.7.0" table first; the new-format table then follows it. Find it by its magic.
            int start = IndexOf(cache, Encoding.ASCII.GetBytes(Magic));
            if (start < 0 || cache.Length - start < HeaderSize)
                yield break;
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(cache.AsSpan(start + 20));
            if ((ulong)count * EntrySize > (ulong)(cache.Length - start - HeaderSize))
                yield break;
            for (int i = 0; i < count; i++)
            {
                int at = start + HeaderSize + i * EntrySize;
                int flags = BinaryPrimitives.ReadInt32LittleEndian(cache.AsSpan(at));
                uint key = BinaryPrimitives.ReadUInt32LittleEndian(cache.AsSpan(at + 4));
                uint value = BinaryPrimitives.ReadUInt32LittleEndian(cache.AsSpan(at + 8));
                // String offsets in the new format count from the start of its header.
                string? name = ReadString(cache, start + (long)key);
                string? path = ReadString(cache, start + (long)value);
                if (name is not null && path is not null)
                    yield return (name, path, flags);
            }
        }

        /// <summary>ldconfig's FLAG_* architecture bits for libraries this process can load.</summary>
        private static int ArchitectureFlag => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 0x0300,       // FLAG_X8664_LIB64
            Architecture.Arm64 => 0x0a00,     // FLAG_AARCH64_LIB64
            Architecture.RiscV64 => 0x1000,   // FLAG_RISCV_FLOAT_ABI_DOUBLE (lp64d)
            Architecture.S390x => 0x0400,     // FLAG_S390_LIB64
            Architecture.Ppc64le => 0x0500,   // FLAG_POWERPC_LIB64
            Architecture.LoongArch64 => 0x1200, // FLAG_LARCH_FLOAT_ABI_DOUBLE
            _ => 0,
        };

        private static string? ReadString(byte[] cache, long offset)
        {
            if (offset < 0 || offset >= cache.Length)
                return null;
            int end = Array.IndexOf(cache, (byte)0, (int)offset);
            return end < 0 ? null : Encoding.UTF8.GetString(cache, (int)offset, end - (int)offset);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
            => haystack.AsSpan().IndexOf(needle);
    }
}
