using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Writes raw BTF blobs (either byte order, base or split) for hand-made and malformed test inputs.</summary>
internal sealed class BtfBuilder
{
    private readonly bool _little;
    private readonly List<uint> _types = new();
    private readonly List<byte> _strings = new();
    private readonly uint _firstStringOffset;
    private int _nextId;

    public BtfBuilder(bool little = true, int firstTypeId = 1, uint firstStringOffset = 0)
    {
        _little = little;
        _nextId = firstTypeId;
        _firstStringOffset = firstStringOffset;
        if (firstStringOffset == 0)
            _strings.Add(0); // base BTF starts with the empty string
    }

    public uint String(string value)
    {
        uint offset = _firstStringOffset + (uint)_strings.Count;
        _strings.AddRange(Encoding.UTF8.GetBytes(value));
        _strings.Add(0);
        return offset;
    }

    /// <summary>Appends a record: btf_type fields, then the kind's trailing u32s. Returns its id.</summary>
    public int Add(BtfKind kind, string? name, int vlen, uint sizeOrType, bool kindFlag = false, params uint[] tail)
        => AddRaw(name is null ? 0 : String(name), ((uint)kind << 24) | (kindFlag ? 1u << 31 : 0) | (uint)vlen, sizeOrType, tail);

    public int AddRaw(uint nameOffset, uint info, uint sizeOrType, params uint[] tail)
    {
        _types.Add(nameOffset);
        _types.Add(info);
        _types.Add(sizeOrType);
        _types.AddRange(tail);
        return _nextId++;
    }

    public int Int(string name, uint size, BtfIntFlags flags = BtfIntFlags.None)
        => Add(BtfKind.Int, name, 0, size, false, ((uint)flags << 24) | (size * 8));

    public int Pointer(int target) => Add(BtfKind.Pointer, null, 0, (uint)target);

    public int Struct(string? name, uint size, params (string Name, int Type, uint BitOffset)[] members)
    {
        var tail = new List<uint>();
        foreach (var m in members)
            tail.AddRange(new[] { String(m.Name), (uint)m.Type, m.BitOffset });
        return Add(BtfKind.Struct, name, members.Length, size, false, tail.ToArray());
    }

    public byte[] Build(uint? headerLength = null)
    {
        uint hdr = headerLength ?? 24;
        uint typeLength = (uint)_types.Count * 4;
        uint stringLength = (uint)_strings.Count;
        var data = new byte[hdr + typeLength + stringLength];
        Write16(data, 0, 0xeb9f);
        data[2] = 1;
        Write32(data, 4, hdr);
        Write32(data, 8, 0);
        Write32(data, 12, typeLength);
        Write32(data, 16, typeLength);
        Write32(data, 20, stringLength);
        for (int i = 0; i < _types.Count; i++)
            Write32(data, (int)hdr + i * 4, _types[i]);
        _strings.CopyTo(data, (int)(hdr + typeLength));
        return data;
    }

    public void Write32(byte[] data, int at, uint value)
    {
        if (_little)
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        else
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
    }

    private void Write16(byte[] data, int at, ushort value)
    {
        if (_little)
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), value);
        else
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), value);
    }
}
