using System;
using System.Collections.Generic;
using System.Text.Json;
using BpfSkeleton.Btf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Checks a decoded <see cref="BtfSpec"/> type by type against `bpftool -j btf dump file`.</summary>
internal static class BtfOracle
{
    private static readonly Dictionary<string, BtfKind> Kinds = new()
    {
        ["INT"] = BtfKind.Int, ["PTR"] = BtfKind.Pointer, ["ARRAY"] = BtfKind.Array, ["STRUCT"] = BtfKind.Struct,
        ["UNION"] = BtfKind.Union, ["ENUM"] = BtfKind.Enum, ["FWD"] = BtfKind.Forward, ["TYPEDEF"] = BtfKind.Typedef,
        ["VOLATILE"] = BtfKind.Volatile, ["CONST"] = BtfKind.Const, ["RESTRICT"] = BtfKind.Restrict, ["FUNC"] = BtfKind.Func,
        ["FUNC_PROTO"] = BtfKind.FuncProto, ["VAR"] = BtfKind.Var, ["DATASEC"] = BtfKind.Datasec, ["FLOAT"] = BtfKind.Float,
        ["DECL_TAG"] = BtfKind.DeclTag, ["TYPE_TAG"] = BtfKind.TypeTag, ["ENUM64"] = BtfKind.Enum64,
    };

    /// <summary>Compares every type bpftool lists; returns how many of each kind were seen.</summary>
    public static Dictionary<BtfKind, int> Compare(BtfSpec spec, JsonDocument bpftool)
    {
        var seen = new Dictionary<BtfKind, int>();
        int count = 0;
        foreach (var json in bpftool.RootElement.GetProperty("types").EnumerateArray())
        {
            int id = json.GetProperty("id").GetInt32();
            var t = spec.GetType(id);
            var where = $"{spec.FileName} type {id}";
            var kind = Kinds[json.GetProperty("kind").GetString()!];
            Assert.True(kind == t.Kind, $"{where}: kind {t.Kind}, bpftool says {kind}");
            Assert.True(Name(json) == (t.HasName ? t.Name : "(anon)"), $"{where}: name '{t.Name}', bpftool says '{Name(json)}'");
            CompareBody(spec, t, json, where);
            seen[kind] = seen.GetValueOrDefault(kind) + 1;
            count++;
        }
        Assert.Equal(count, spec.TypeCount - spec.FirstTypeId + 1);
        return seen;
    }

    private static void CompareBody(BtfSpec spec, BtfType t, JsonElement json, string where)
    {
        switch (t.Kind)
        {
            case BtfKind.Int:
                Same(where, "size", U(json, "size"), t.Size);
                Same(where, "bits_offset", U(json, "bits_offset"), t.Int.Offset);
                Same(where, "nr_bits", U(json, "nr_bits"), t.Int.Bits);
                Assert.Equal(json.GetProperty("encoding").GetString(), IntEncoding(t.Int));
                break;
            case BtfKind.Pointer:
            case BtfKind.Typedef:
            case BtfKind.Volatile:
            case BtfKind.Const:
            case BtfKind.Restrict:
            case BtfKind.TypeTag:
                Same(where, "type_id", U(json, "type_id"), (ulong)t.TypeId);
                break;
            case BtfKind.Array:
                Same(where, "type_id", U(json, "type_id"), (ulong)t.Array.ElementTypeId);
                Same(where, "index_type_id", U(json, "index_type_id"), (ulong)t.Array.IndexTypeId);
                Same(where, "nr_elems", U(json, "nr_elems"), t.Array.Count);
                break;
            case BtfKind.Struct:
            case BtfKind.Union:
                Same(where, "size", U(json, "size"), t.Size);
                Same(where, "vlen", U(json, "vlen"), (ulong)t.Vlen);
                int i = 0;
                foreach (var m in json.GetProperty("members").EnumerateArray())
                {
                    var member = t.GetMember(i++);
                    Assert.Equal(Name(m), Anon(member.Name));
                    Same(where, "member type_id", U(m, "type_id"), (ulong)member.TypeId);
                    Same(where, "bits_offset", U(m, "bits_offset"), member.BitOffset);
                    Same(where, "bitfield_size", m.TryGetProperty("bitfield_size", out var bits) ? bits.GetUInt64() : 0, member.BitfieldSize);
                }
                Assert.Equal(t.Vlen, i);
                break;
            case BtfKind.Enum:
            case BtfKind.Enum64:
                Same(where, "size", U(json, "size"), t.Size);
                Assert.Equal(json.GetProperty("encoding").GetString(), t.IsSigned ? "SIGNED" : "UNSIGNED");
                int v = 0;
                foreach (var e in json.GetProperty("values").EnumerateArray())
                {
                    var value = t.GetEnumValue(v++);
                    Assert.Equal(Name(e), Anon(value.Name));
                    var raw = e.GetProperty("val");
                    if (t.IsSigned)
                        Assert.Equal(raw.GetInt64(), value.Value);
                    else if (t.Kind == BtfKind.Enum)
                        Assert.Equal(raw.GetUInt64(), unchecked((ulong)(int)(uint)value.Value)); // bpftool 7.1 widens the s32 field before printing it unsigned
                    else
                        Assert.Equal(raw.GetUInt64(), value.UnsignedValue);
                }
                Assert.Equal(t.Vlen, v);
                break;
            case BtfKind.Forward:
                Assert.Equal(json.GetProperty("fwd_kind").GetString(), t.ForwardKind == BtfKind.Union ? "union" : "struct");
                break;
            case BtfKind.Func:
                Same(where, "type_id", U(json, "type_id"), (ulong)t.TypeId);
                Assert.Equal(json.GetProperty("linkage").GetString(), t.FuncLinkage.ToString().ToLowerInvariant());
                break;
            case BtfKind.FuncProto:
                Same(where, "ret_type_id", U(json, "ret_type_id"), (ulong)t.TypeId);
                int p = 0;
                foreach (var param in json.GetProperty("params").EnumerateArray())
                {
                    var actual = t.GetParam(p++);
                    Assert.Equal(Name(param), Anon(actual.Name));
                    Same(where, "param type_id", U(param, "type_id"), (ulong)actual.TypeId);
                }
                Assert.Equal(t.Vlen, p);
                break;
            case BtfKind.Var:
                Same(where, "type_id", U(json, "type_id"), (ulong)t.TypeId);
                Assert.Equal(json.GetProperty("linkage").GetString(), t.VarLinkage switch
                {
                    BtfVarLinkage.Static => "static",
                    BtfVarLinkage.GlobalAllocated => "global",
                    BtfVarLinkage.GlobalExtern => "extern",
                    _ => "(unknown)",
                });
                break;
            case BtfKind.Datasec:
                Same(where, "size", U(json, "size"), t.Size);
                int s = 0;
                foreach (var var in json.GetProperty("vars").EnumerateArray())
                {
                    var info = t.GetVarSecInfo(s++);
                    Same(where, "var type_id", U(var, "type_id"), (ulong)info.TypeId);
                    Same(where, "var offset", U(var, "offset"), info.Offset);
                    Same(where, "var size", U(var, "size"), info.Size);
                }
                Assert.Equal(t.Vlen, s);
                break;
            case BtfKind.Float:
                Same(where, "size", U(json, "size"), t.Size);
                break;
            case BtfKind.DeclTag:
                Same(where, "type_id", U(json, "type_id"), (ulong)t.TypeId);
                Assert.Equal(json.GetProperty("component_idx").GetInt32(), t.DeclTagComponentIndex);
                break;
            default:
                Assert.Fail($"{where}: unexpected kind {t.Kind}");
                break;
        }
    }

    private static string IntEncoding(BtfIntEncoding encoding) => encoding.Encoding switch
    {
        BtfIntFlags.None => "(none)",
        BtfIntFlags.Signed => "SIGNED",
        BtfIntFlags.Char => "CHAR",
        BtfIntFlags.Bool => "BOOL",
        _ => "UNKN",
    };

    private static string Name(JsonElement e) => e.GetProperty("name").GetString()!;

    private static string Anon(string name) => name.Length == 0 ? "(anon)" : name;

    private static ulong U(JsonElement e, string property) => e.GetProperty(property).GetUInt64();

    private static void Same(string where, string field, ulong expected, ulong actual)
    {
        if (expected != actual)
            Assert.Fail($"{where}: {field} is {actual}, bpftool says {expected}");
    }
}
