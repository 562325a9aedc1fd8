using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>
    /// Memory shared with the kernel through mmap() of a map (BPF_F_MMAPABLE arrays). Disposing
    /// unmaps it; spans taken from it must not be used afterwards.
    /// </summary>
    public sealed unsafe class BpfMappedRegion : SafeHandle
    {
        private readonly nuint _mappedLength;

        private BpfMappedRegion(void* address, nuint mappedLength, int length, bool writable)
            : base(IntPtr.Zero, ownsHandle: true)
        {
            SetHandle((IntPtr)address);
            _mappedLength = mappedLength;
            Length = length;
            IsWritable = writable;
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Usable bytes (the map's data size; the mapping itself is rounded up to pages).</summary>
        public int Length { get; }

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

        /// <summary>mmap()s <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/>, shared.</summary>
        internal static BpfMappedRegion Map(BpfFileDescriptor fd, int length, nint offset, bool writable, string what)
        {
            nuint pageSize = (nuint)Environment.SystemPageSize;
            nuint mappedLength = ((nuint)length + pageSize - 1) & ~(pageSize - 1);
            using var lease = new FdLease(fd);
            int protection = Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0);
            void* address = Libc.Mmap(null, mappedLength, protection, Libc.MAP_SHARED, lease.Fd, offset);
            if ((nint)address == Libc.MAP_FAILED)
                BpfErrors.Throw($"mmap {what} ({(writable ? "read-write" : "read-only")})", Marshal.GetLastPInvokeError());
            return new BpfMappedRegion(address, mappedLength, length, writable);
        }

        protected override bool ReleaseHandle() => Libc.Munmap((void*)handle, _mappedLength) == 0;
    }
}
