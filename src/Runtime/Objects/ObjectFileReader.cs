using System.IO;
using BpfSkeleton.Elf;
using Microsoft.Win32.SafeHandles;

namespace BpfSkeleton
{
    /// <summary>
    /// Reads ELF files with positioned reads of just the sections needed (<see cref="ElfLoaderImage"/>),
    /// the way libbpf's libelf touches only the pages it needs: an object for
    /// <see cref="BpfObject.Open(string, BpfOpenOptions?)"/> without its DWARF, a binary for uprobes
    /// without its code.
    /// </summary>
    internal static class ObjectFileReader
    {
        public static byte[] Read(string path) => Read(path, ElfLoaderImage.LoaderSections);

        /// <summary>Reads an executable or shared object for function and USDT note lookups: symbols, strings and notes only.</summary>
        public static byte[] ReadSymbolsAndNotes(string path) => Read(path, ElfLoaderImage.SymbolsAndNotes);

        private static byte[] Read(string path, ElfLoaderImage.SectionFilter keep)
        {
            using SafeFileHandle file = File.OpenHandle(path);
            long length;
            try
            {
                length = RandomAccess.GetLength(file);
            }
            catch (System.NotSupportedException)
            {
                length = 0; // not seekable
            }
            if (length > 0)
                return ElfLoaderImage.Read(length, (offset, destination) => ReadExactly(file, path, offset, destination), keep);

            // A pipe or a procfs-style file has no size to pick sections by: read this same handle to its end.
            using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }

        private static void ReadExactly(SafeFileHandle file, string path, long offset, System.Span<byte> destination)
        {
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(file, destination, offset);
                if (read == 0)
                    throw new BpfFormatException(path, null, offset, "the file ended early: it shrank while being read");
                destination = destination.Slice(read);
                offset += read;
            }
        }
    }
}
