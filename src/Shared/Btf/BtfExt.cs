using System;
using System.Collections.Generic;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// Parsed .BTF.ext: per-ELF-section func_info, line_info and CO-RE relocation records.
    /// Section names and access strings are resolved (and so validated) through the object's BTF;
    /// records may be larger than the fields known here, as the format allows.
    /// </summary>
    internal sealed class BtfExt
    {
        internal const string SectionLabel = ".BTF.ext";
        private const int MinHeaderSize = 24;
        private const int HeaderSizeWithCoreRelos = 32;
        private const int FuncInfoSize = 8;
        private const int LineInfoSize = 16;
        private const int CoreReloSize = 16;

        private BtfExt(uint headerLength, uint funcInfoRecordSize, uint lineInfoRecordSize, uint coreReloRecordSize,
            BtfExtSectionMap<BtfFuncInfo> funcInfos,
            BtfExtSectionMap<BtfLineInfo> lineInfos,
            BtfExtSectionMap<BtfCoreRelo> coreRelos)
        {
            HeaderLength = headerLength;
            FuncInfoRecordSize = funcInfoRecordSize;
            LineInfoRecordSize = lineInfoRecordSize;
            CoreReloRecordSize = coreReloRecordSize;
            FuncInfoMap = funcInfos;
            LineInfoMap = lineInfos;
            CoreReloMap = coreRelos;
        }

        public uint HeaderLength { get; }

        /// <summary>Record size stored in the file (0 when the object has no func_info).</summary>
        public uint FuncInfoRecordSize { get; }
        public uint LineInfoRecordSize { get; }
        public uint CoreReloRecordSize { get; }

        public IReadOnlyDictionary<string, IReadOnlyList<BtfFuncInfo>> FuncInfos => FuncInfoMap;
        public IReadOnlyDictionary<string, IReadOnlyList<BtfLineInfo>> LineInfos => LineInfoMap;
        public IReadOnlyDictionary<string, IReadOnlyList<BtfCoreRelo>> CoreRelos => CoreReloMap;

        // The same maps, typed: the loader reads their record arrays directly (BtfExtSectionMap.TryGetRecords).
        internal BtfExtSectionMap<BtfFuncInfo> FuncInfoMap { get; }
        internal BtfExtSectionMap<BtfLineInfo> LineInfoMap { get; }
        internal BtfExtSectionMap<BtfCoreRelo> CoreReloMap { get; }

        public static BtfExt Parse(ReadOnlyMemory<byte> data, BtfSpec btf, string fileName)
        {
            if (btf is null)
                throw new ArgumentNullException(nameof(btf));
            if (fileName is null)
                throw new ArgumentNullException(nameof(fileName));
            ReadOnlySpan<byte> span = data.Span;
            if (span.Length < MinHeaderSize)
                throw Error(fileName, 0, $"{span.Length} bytes is shorter than the {MinHeaderSize}-byte .BTF.ext header");
            bool little;
            if (span[0] == 0x9f && span[1] == 0xeb)
                little = true;
            else if (span[0] == 0xeb && span[1] == 0x9f)
                little = false;
            else
                throw Error(fileName, 0, $"bad .BTF.ext magic 0x{span[0]:x2}{span[1]:x2}");
            if (span[2] != 1)
                throw Error(fileName, 2, $"unsupported .BTF.ext version {span[2]}");
            uint headerLength = ByteOrder.U32(span.Slice(4), little);
            if (headerLength < MinHeaderSize || headerLength > (uint)span.Length)
                throw Error(fileName, 4, $"header length {headerLength} does not fit the {span.Length}-byte .BTF.ext");

            var reader = new InfoReader(data, btf, fileName, little, headerLength);
            var funcInfos = new BtfExtSectionMap<BtfFuncInfo>();
            var lineInfos = new BtfExtSectionMap<BtfLineInfo>();
            var coreRelos = new BtfExtSectionMap<BtfCoreRelo>();

            uint funcSize = reader.Read(8, "func_info", FuncInfoSize, funcInfos, default(FuncInfoDecoder));
            uint lineSize = reader.Read(16, "line_info", LineInfoSize, lineInfos, default(LineInfoDecoder));
            uint coreSize = 0;
            if (headerLength >= HeaderSizeWithCoreRelos)
                coreSize = reader.Read(24, "core_relo", CoreReloSize, coreRelos, default(CoreReloDecoder));
            return new BtfExt(headerLength, funcSize, lineSize, coreSize, funcInfos, lineInfos, coreRelos);
        }

        /// <summary>Decodes one record at <c>at</c>; a struct so the generic reader calls it directly.</summary>
        private interface IRecordDecoder<T>
        {
            T Decode(InfoReader reader, ReadOnlySpan<byte> data, int at);
        }

        private readonly struct FuncInfoDecoder : IRecordDecoder<BtfFuncInfo>
        {
            public BtfFuncInfo Decode(InfoReader r, ReadOnlySpan<byte> data, int at)
                => new BtfFuncInfo(r.U32(data, at), unchecked((int)r.U32(data, at + 4)));
        }

        private readonly struct LineInfoDecoder : IRecordDecoder<BtfLineInfo>
        {
            public BtfLineInfo Decode(InfoReader r, ReadOnlySpan<byte> data, int at)
                => new BtfLineInfo(r.U32(data, at), r.U32(data, at + 4), r.U32(data, at + 8), r.U32(data, at + 12));
        }

        private readonly struct CoreReloDecoder : IRecordDecoder<BtfCoreRelo>
        {
            public BtfCoreRelo Decode(InfoReader r, ReadOnlySpan<byte> data, int at)
            {
                uint accessOffset = r.U32(data, at + 8);
                return new BtfCoreRelo(r.U32(data, at), unchecked((int)r.U32(data, at + 4)), accessOffset,
                    r.String(accessOffset, at + 8), (BtfCoreReloKind)r.U32(data, at + 12));
            }
        }

        internal static BpfFormatException Error(string fileName, long offset, string problem)
            => new BpfFormatException(fileName, SectionLabel, offset, problem);

        /// <summary>Walks one info subsection: rec_size, then blocks of {sec_name_off, num_info, records}.</summary>
        private sealed class InfoReader
        {
            private readonly ReadOnlyMemory<byte> _data;
            private readonly BtfSpec _btf;
            private readonly string _fileName;
            private readonly bool _little;
            private readonly uint _headerLength;

            public InfoReader(ReadOnlyMemory<byte> data, BtfSpec btf, string fileName, bool little, uint headerLength)
            {
                _data = data;
                _btf = btf;
                _fileName = fileName;
                _little = little;
                _headerLength = headerLength;
            }

            public uint U32(int at) => ByteOrder.U32(_data.Span.Slice(at), _little);

            public uint U32(ReadOnlySpan<byte> data, int at) => ByteOrder.U32(data.Slice(at), _little);

            /// <summary>A BTF string named by a record at <paramref name="at"/>; bad offsets are reported against .BTF.ext.</summary>
            public string String(uint offset, int at)
            {
                if (offset >= _btf.EndStringOffset)
                    throw Error(_fileName, at, $"string offset {offset} is outside the BTF string section (end {_btf.EndStringOffset})");
                return _btf.GetString(offset);
            }

            public uint Read<T, TDecoder>(int headerField, string what, int minRecordSize, BtfExtSectionMap<T> into, TDecoder decoder)
                where TDecoder : struct, IRecordDecoder<T>
            {
                uint offset = U32(headerField);
                uint length = U32(headerField + 4);
                if (length == 0)
                    return 0;
                if ((offset & 3) != 0)
                    throw Error(_fileName, headerField, $"{what} offset {offset} is not 4-byte aligned");
                ulong start = (ulong)_headerLength + offset;
                if (start + length > (ulong)_data.Length)
                    throw Error(_fileName, headerField, $"{what} (offset {offset}, length {length}) runs past the end of .BTF.ext");
                if (length < 4)
                    throw Error(_fileName, (long)start, $"{what} has no record size");
                int at = (int)start;
                int end = at + (int)length;
                uint recordSize = U32(at);
                if (recordSize < minRecordSize || (recordSize & 3) != 0)
                    throw Error(_fileName, at, $"{what} record size {recordSize} is invalid (at least {minRecordSize}, a multiple of 4)");
                at += 4;
                if (at == end)
                    throw Error(_fileName, at, $"{what} has no records");
                while (at < end)
                {
                    if (end - at < 8)
                        throw Error(_fileName, at, $"{what} section header runs past its end");
                    uint nameOffset = U32(at);
                    uint count = U32(at + 4);
                    if (count == 0)
                        throw Error(_fileName, at + 4, $"{what} block has no records");
                    if ((ulong)count * recordSize > (ulong)(end - at - 8))
                        throw Error(_fileName, at + 4, $"{what} block of {count} records of {recordSize} bytes runs past its end");
                    string section = String(nameOffset, at);
                    at += 8;
                    var records = new T[count];
                    ReadOnlySpan<byte> data = _data.Span;
                    for (int i = 0; i < records.Length; i++, at += (int)recordSize)
                        records[i] = decoder.Decode(this, data, at);
                    into.Add(section, records);
                }
                return recordSize;
            }
        }
    }
}
