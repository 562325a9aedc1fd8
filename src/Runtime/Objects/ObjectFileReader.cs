using System.IO;
using BpfSkeleton.Elf;
using Microsoft.Win32.SafeHandles;

namespace BpfSkeleton
{
    /// <summary>
    /// Reads an object file for <see cref="BpfObject.Open(string, BpfOpenOptions?)"/> with positioned
    /// reads of just the sections the loader uses (<see cref="ElfLoaderImage"/>), the way libbpf's
    /// libelf touches only the pages it needs instead of reading the DWARF that makes up most of the file.
    /// </summary>
    internal static class ObjectFileReader
    {
        public static byte[] Read(string path)
        {
            using SafeFileHandle file = File.OpenHandle(path);
            return ElfLoaderImage.Read(RandomAccess.GetLength(file), (offset, destination) => ReadExactly(file, path, offset, destination));
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
