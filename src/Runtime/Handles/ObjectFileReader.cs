using System;
using System.IO;
using System.Runtime.InteropServices;
using BpfSkeleton.Elf;
using BpfSkeleton.Interop;
using Microsoft.Win32.SafeHandles;

namespace BpfSkeleton.Handles
{
    /// <summary>
    /// Reads ELF files with positioned reads of just the sections needed (<see cref="ElfLoaderImage"/>),
    /// the way libbpf's libelf touches only the pages it needs: an object for
    /// <c>BpfObject.Open(path)</c> without its DWARF, a binary for uprobes
    /// without its code.
    /// </summary>
    internal static class ObjectFileReader
    {
        public static byte[] Read(string path) => Read(path, ElfLoaderImage.LoaderSections);

        /// <summary>Reads an executable or shared object for function and USDT note lookups: symbols, strings and notes only.</summary>
        public static byte[] ReadSymbolsAndNotes(string path) => Read(path, ElfLoaderImage.SymbolsAndNotes);

        /// <summary>
        /// The common case, a regular file, takes open, lseek and pread directly: .NET's file handles
        /// add a path canonicalisation, an fstat and an advisory lock per open, which cost more than
        /// the reads of a small object. Anything else (an open that fails, a pipe, a file without a
        /// size, a failed read) goes through .NET's file API, so errors stay what they were.
        /// </summary>
        private static byte[] Read(string path, ElfLoaderImage.SectionFilter keep)
        {
            int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
                return ReadThroughDotNet(path, keep);
            long length = Libc.Lseek(fd, 0, Libc.SEEK_END);
            if (length < 0 && Marshal.GetLastPInvokeError() == Errno.ESPIPE)
            {
                // A pipe can be opened only once per writer: read it to its end through this same descriptor.
                using var pipe = new SafeFileHandle(fd, ownsHandle: true);
                return ReadToEnd(pipe);
            }
            try
            {
                if (length > 0)
                    return ElfLoaderImage.Read(length, new DescriptorReader(fd).ReadAt, keep);
            }
            catch (NativeReadFailedException)
            {
                // Fall through: .NET reads it again and reports the error its own way.
            }
            finally
            {
                Libc.Close(fd);
            }
            return ReadThroughDotNet(path, keep);
        }

        private static byte[] ReadThroughDotNet(string path, ElfLoaderImage.SectionFilter keep)
        {
            using SafeFileHandle file = File.OpenHandle(path);
            long length;
            try
            {
                length = RandomAccess.GetLength(file);
            }
            catch (NotSupportedException)
            {
                length = 0; // not seekable
            }
            if (length > 0)
                return ElfLoaderImage.Read(length, (offset, destination) => ReadExactly(file, path, offset, destination), keep);
            // A pipe or a procfs-style file has no size to pick sections by: read this same handle to its end.
            return ReadToEnd(file);
        }

        private static byte[] ReadToEnd(SafeFileHandle file)
        {
            using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }

        private static void ReadExactly(SafeFileHandle file, string path, long offset, Span<byte> destination)
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

        /// <summary>pread until the destination is full; any failure or early end hands the file back to .NET.</summary>
        private sealed class DescriptorReader
        {
            private readonly int _fd;

            public DescriptorReader(int fd) => _fd = fd;

            public unsafe void ReadAt(long offset, Span<byte> destination)
            {
                while (!destination.IsEmpty)
                {
                    nint read;
                    fixed (byte* buffer = destination)
                        read = Libc.PositionedRead(_fd, buffer, (nuint)destination.Length, offset);
                    if (read < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                        continue;
                    if (read <= 0)
                        throw new NativeReadFailedException();
                    destination = destination.Slice((int)read);
                    offset += read;
                }
            }
        }

        private sealed class NativeReadFailedException : Exception
        {
        }
    }
}
