namespace BpfSkeleton.PerfBuffer
{
    /// <summary>The perf_event ABI parts (linux/perf_event.h) the perf buffer uses.</summary>
    internal static class PerfEventAbi
    {
        internal const ulong CountSoftwareBpfOutput = 10; // PERF_COUNT_SW_BPF_OUTPUT
        internal const ulong SampleRaw = 1ul << 10;       // PERF_SAMPLE_RAW

        internal const uint RecordLost = 2;   // PERF_RECORD_LOST: { header; u64 id; u64 lost; }
        internal const uint RecordSample = 9; // PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW: { header; u32 size; u8 data[size]; }

        /// <summary>struct perf_event_header { u32 type; u16 misc; u16 size; }.</summary>
        internal const int HeaderSize = 8;
        internal const int HeaderSizeOffset = 6;

        // Offsets in struct perf_event_mmap_page (the first mapped page).
        internal const int DataHeadOffset = 1024;
        internal const int DataTailOffset = 1032;
        internal const int DataOffsetOffset = 1040;
        internal const int DataSizeOffset = 1048;
    }
}
