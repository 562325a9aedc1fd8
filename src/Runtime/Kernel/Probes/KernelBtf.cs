using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace BpfSkeleton
{
    /// <summary>
    /// A minimal reader of the running kernel's BTF (/sys/kernel/btf/vmlinux) for probes: finds
    /// type ids by name and kind, and enum values by name. The full BTF model lives in src/Shared.
    /// </summary>
    internal sealed class KernelBtf
    {
        internal const string VmlinuxPath = "/sys/kernel/btf/vmlinux";
        private static readonly Lazy<KernelBtf?> s_vmlinux = new(() => File.Exists(VmlinuxPath) ? new KernelBtf(File.ReadAllBytes(VmlinuxPath)) : null);

        private readonly byte[] _data;
        private readonly int _typeStart;
        private readonly int _typeEnd;
        private readonly int _stringStart;
        private readonly int _stringEnd;

        private KernelBtf(byte[] data)
        {
            _data = data;
            ReadOnlySpan<byte> span = data;
            if (BinaryPrimitives.ReadUInt16LittleEndian(span) != 0xeB9F)
                throw new InvalidDataException($"{VmlinuxPath} is not little-endian BTF");
            int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
            _typeStart = headerLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            _typeEnd = _typeStart + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
            _stringStart = headerLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
            _stringEnd = _stringStart + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        }

        /// <summary>The vmlinux BTF, or null when the kernel exposes none.</summary>
        internal static KernelBtf? Vmlinux => s_vmlinux.Value;

        /// <summary>The id of the first type named <paramref name="name"/> of <paramref name="kind"/>, or 0.</summary>
        internal uint FindTypeId(string name, int kind)
        {
            uint found = 0;
            Walk((id, typeKind, nameOffset, _, _) =>
            {
                if (typeKind == kind && NameEquals(nameOffset, name))
                {
                    found = id;
                    return false;
                }
                return true;
            });
            return found;
        }

        /// <summary>True when an enum named <paramref name="enumName"/> has a value named <paramref name="valueName"/>.</summary>
        internal bool HasEnumValue(string enumName, string valueName)
        {
            bool found = false;
            Walk((_, kind, nameOffset, vlen, offset) =>
            {
                if ((kind == 6 || kind == BtfBlob.KindEnum64) && NameEquals(nameOffset, enumName))
                {
                    int entry = kind == 6 ? 8 : 12;
                    for (int i = 0; i < vlen; i++)
                    {
                        if (NameEquals(ReadU32(offset + 12 + i * entry), valueName))
                            found = true;
                    }
                    return !found;
                }
                return true;
            });
            return found;
        }

        private delegate bool TypeVisitor(uint id, int kind, uint nameOffset, int vlen, int offset);

        private void Walk(TypeVisitor visit)
        {
            uint id = 1;
            for (int offset = _typeStart; offset < _typeEnd; id++)
            {
                uint info = ReadU32(offset + 4);
                int kind = (int)(info >> 24) & 0x1f;
                int vlen = (int)(info & 0xffff);
                if (!visit(id, kind, ReadU32(offset), vlen, offset))
                    return;
                offset += 12 + ExtraBytes(kind, vlen);
            }
        }

        private static int ExtraBytes(int kind, int vlen) => kind switch
        {
            1 => 4,                 // INT
            3 => 12,                // ARRAY
            4 or 5 => vlen * 12,    // STRUCT, UNION
            6 => vlen * 8,          // ENUM
            13 => vlen * 8,         // FUNC_PROTO
            14 => 4,                // VAR
            15 => vlen * 12,        // DATASEC
            17 => 4,                // DECL_TAG
            19 => vlen * 12,        // ENUM64
            _ => 0,                 // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
        };

        private uint ReadU32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(offset));

        private bool NameEquals(uint nameOffset, string name)
        {
            int start = _stringStart + (int)nameOffset;
            if (start + name.Length >= _stringEnd)
                return false;
            ReadOnlySpan<byte> candidate = _data.AsSpan(start, name.Length + 1);
            if (candidate[name.Length] != 0)
                return false;
            for (int i = 0; i < name.Length; i++)
            {
                if (candidate[i] != name[i])
                    return false;
            }
            return true;
        }
    }
}
