using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// Memory shared with the kernel through mmap() of a map (BPF_F_MMAPABLE arrays, arenas). Disposing
    /// unmaps it; spans taken from it must not be used afterwards.
    /// </summary>
    public sealed unsafe class BpfMappedRegion : SafeHandle
    {
        private readonly nuint _mappedLength;

        private BpfMappedRegion(void* address, nuint mappedLength, long length, bool writable)
            : base(IntPtr.Zero, ownsHandle: true)
        {
            SetHandle((IntPtr)address);
            _mappedLength = mappedLength;
            LongLength = length;
            IsWritable = writable;
        }

        /// <summary>True when nothing is mapped (after release).</summary>
        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Usable bytes (the map's data size; the mapping itself is rounded up to pages).</summary>
        public int Length => LongLength <= int.MaxValue ? (int)LongLength
            : throw new NotSupportedException($"The mapping holds {LongLength} bytes, more than a span can cover: use Pointer and LongLength.");

        /// <summary>Usable bytes, for arenas of 2 GiB or more.</summary>
        public long LongLength { get; }

        /// <summary>False for read-only mappings (frozen or BPF_F_RDONLY maps).</summary>
        public bool IsWritable { get; }

        /// <summary>The data, for writing. Throws for read-only mappings.</summary>
        public Span<byte> Span
        {
            get
            {
                if (!IsWritable)
                    throw new InvalidOperationException("This mapping is read-only (the map is frozen or read-only to system calls).");
                return new Span<byte>(Pointer, Length);
            }
        }

        /// <summary>The data, for reading.</summary>
        public ReadOnlySpan<byte> ReadOnlySpan => new(Pointer, Length);

        /// <summary>Base address of the mapping.</summary>
        public void* Pointer
        {
            get
            {
                ObjectDisposedException.ThrowIf(IsClosed, this);
                return (void*)handle;
            }
        }

        /// <summary>
        /// mmap()s <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/>, shared;
        /// at exactly <paramref name="at"/> when it is not 0, never over an existing mapping.
        /// </summary>
        internal static BpfMappedRegion Map(BpfFileDescriptor fd, long length, nint offset, bool writable, string what, ulong at = 0, string? invalidHint = null)
        {
            nuint pageSize = (nuint)Environment.SystemPageSize;
            nuint mappedLength = ((nuint)length + pageSize - 1) & ~(pageSize - 1);
            using var lease = new FdLease(fd);
            int protection = Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0);
            int flags = Libc.MAP_SHARED | (at != 0 ? Libc.MAP_FIXED_NOREPLACE : 0);
            void* address = Libc.Mmap((void*)at, mappedLength, protection, flags, lease.Fd, offset);
            string operation = $"mmap {what} ({(writable ? "read-write" : "read-only")}{(at != 0 ? $" at 0x{at:x}" : "")})";
            if ((nint)address == Libc.MAP_FAILED)
            {
                int errno = Marshal.GetLastPInvokeError();
                BpfErrors.Throw(operation, errno, hint: errno == Errno.EEXIST ? "something else is already mapped in that address range of this process; choose another map_extra"
                    : errno == Errno.EINVAL ? invalidHint : null);
            }
            if (at != 0 && (ulong)address != at)
            {
                // A kernel before 4.17 takes MAP_FIXED_NOREPLACE as a mere hint.
                Libc.Munmap(address, mappedLength);
                throw new BpfException(operation, Errno.EEXIST, $"the kernel placed the mapping at 0x{(ulong)address:x}, not at the address asked for");
            }
            return new BpfMappedRegion(address, mappedLength, length, writable);
        }

        /// <summary>Unmaps the region; true when munmap() succeeded.</summary>
        protected override bool ReleaseHandle() => Libc.Munmap((void*)handle, _mappedLength) == 0;
    }
}
