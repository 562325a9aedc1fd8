using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;
using BpfSkeleton.RingBuffer;

namespace BpfSkeleton.PerfBuffer
{
    /// <summary>
    /// One CPU's PERF_COUNT_SW_BPF_OUTPUT event and its mmapped ring: a metadata page followed by
    /// 2^n data pages. The kernel writes records at data_head; we read up to it and publish
    /// data_tail so the kernel never overwrites unread records (it counts them as lost instead).
    /// </summary>
    internal sealed unsafe class PerfCpuRing : IDisposable
    {
        private const int MaxRecordSize = ushort.MaxValue; // perf_event_header.size is a u16

        private readonly BpfMappedRegion _mapping;
        private readonly byte* _metadata;
        private readonly byte* _data;
        private readonly ulong _mask;
        // A record that wraps the end of the ring is reassembled here; allocated once, pinned so
        // the record can be handed out by pointer like the in-ring ones.
        private readonly byte[] _wrapBuffer;

        internal PerfCpuRing(int cpu, int dataPages)
        {
            Cpu = cpu;
            Event = Open(cpu);
            try
            {
                int pageSize = Environment.SystemPageSize;
                _mapping = BpfMappedRegion.Map(Event, (1 + dataPages) * pageSize, 0, writable: true, $"perf ring of CPU {cpu}");
                _metadata = (byte*)_mapping.Pointer;
                ulong dataOffset = *(ulong*)(_metadata + PerfEventAbi.DataOffsetOffset);
                ulong dataSize = *(ulong*)(_metadata + PerfEventAbi.DataSizeOffset);
                // Kernels before 4.1 leave these 0; the data then starts right after the first page.
                if (dataSize == 0)
                {
                    dataOffset = (ulong)pageSize;
                    dataSize = (ulong)dataPages * (ulong)pageSize;
                }
                _data = _metadata + dataOffset;
                _mask = dataSize - 1;
                _wrapBuffer = GC.AllocateUninitializedArray<byte>(Math.Min((int)dataSize, MaxRecordSize), pinned: true);
                BpfErrors.Check(Sys.Ioctl(Event.DangerousGetFd(), PerfEventAttr.IocEnable, 0), $"enable perf event on CPU {cpu}");
            }
            catch
            {
                _mapping?.Dispose();
                Event.Dispose();
                throw;
            }
        }

        internal int Cpu { get; }

        /// <summary>The perf event; stored into the PERF_EVENT_ARRAY at <see cref="Cpu"/>.</summary>
        internal BpfFileDescriptor Event { get; }

        /// <summary>
        /// Reads every record the kernel has written: samples go to <paramref name="onSample"/>,
        /// lost counts to <paramref name="onLost"/>. Returns the number of samples.
        /// </summary>
        internal long Drain(PerfSampleHandler onSample, PerfLostHandler? onLost)
        {
            using var lease = new RegionLease(_mapping, _mapping);
            ulong* headPointer = (ulong*)(_metadata + PerfEventAbi.DataHeadOffset);
            ulong* tailPointer = (ulong*)(_metadata + PerfEventAbi.DataTailOffset);
            // Acquire: the records up to head are visible once head is.
            ulong head = Volatile.Read(ref *headPointer);
            ulong tail = *tailPointer; // only this reader writes it
            long samples = 0;
            try
            {
                while (tail < head)
                {
                    ulong offset = tail & _mask;
                    byte* record = _data + offset;
                    // Records are 8-byte aligned and the ring a multiple of 8, so a header never wraps.
                    int size = *(ushort*)(record + PerfEventAbi.HeaderSizeOffset);
                    if (size < PerfEventAbi.HeaderSize)
                        throw new InvalidDataException($"Corrupt perf record of size {size} on CPU {Cpu}.");
                    if (offset + (ulong)size > _mask + 1)
                        record = Reassemble(record, (int)(_mask + 1 - offset), size);
                    uint type = *(uint*)record;
                    if (type == PerfEventAbi.RecordSample)
                    {
                        int rawSize = *(int*)(record + PerfEventAbi.HeaderSize);
                        onSample(Cpu, new ReadOnlySpan<byte>(record + PerfEventAbi.HeaderSize + sizeof(uint), rawSize));
                        samples++;
                    }
                    else if (type == PerfEventAbi.RecordLost)
                    {
                        onLost?.Invoke(Cpu, *(ulong*)(record + PerfEventAbi.HeaderSize + sizeof(ulong)));
                    }
                    tail += (ulong)size;
                }
            }
            finally
            {
                // Release: our reads of the records finish before the kernel may overwrite them.
                Volatile.Write(ref *tailPointer, tail);
            }
            return samples;
        }

        /// <summary>Copies a record that runs past the end of the ring into one piece.</summary>
        private byte* Reassemble(byte* record, int firstPart, int size)
        {
            byte* buffer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_wrapBuffer));
            Buffer.MemoryCopy(record, buffer, _wrapBuffer.Length, firstPart);
            Buffer.MemoryCopy(_data, buffer + firstPart, _wrapBuffer.Length - firstPart, size - firstPart);
            return buffer;
        }

        public void Dispose()
        {
            _mapping.Dispose();
            Event.Dispose();
        }

        private static BpfFileDescriptor Open(int cpu)
        {
            var attr = new PerfEventAttr
            {
                Type = PerfEventConfig.TypeSoftware,
                Size = PerfEventAttr.SizeVer1,
                Config = PerfEventAbi.CountSoftwareBpfOutput,
                SamplePeriod = 1,
                SampleType = PerfEventAbi.SampleRaw,
                WakeupEvents = 1, // wake the reader for every sample, as libbpf does
            };
            return PerfEvents.Open(attr, pid: -1, cpu, $"perf_event_open(PERF_COUNT_SW_BPF_OUTPUT) on CPU {cpu}");
        }
    }
}
