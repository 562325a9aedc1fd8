using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Every value reachable from a spec, field by field (private ones too, so nothing a loader could write hides),
/// as "path = value" lines. Arrays of plain values are hashed; each object is walked once.
/// </summary>
internal static class SpecSnapshot
{
    public static List<string> Of(object root, Func<FieldInfo, bool>? skip = null)
    {
        var lines = new List<string>();
        Walk(root, "spec", lines, new HashSet<object>(ReferenceEqualityComparer.Instance), skip ?? (_ => false));
        return lines;
    }

    private static void Walk(object? value, string path, List<string> lines, HashSet<object> seen, Func<FieldInfo, bool> skip)
    {
        if (value is null)
        {
            lines.Add($"{path} = null");
            return;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is string or decimal)
        {
            lines.Add($"{path} = {value}");
            return;
        }
        if (value is Delegate or Type or MemberInfo)
            return;
        if (value is Pointer pointer)
        {
            // A pointer field (mapped BTF): its address, not the boxed Pointer's own fields, which box it again.
            unsafe { lines.Add($"{path} = 0x{(ulong)Pointer.Unbox(pointer):x}"); }
            return;
        }
        if (!type.IsValueType && !seen.Add(value))
            return; // walked where first seen
        if (value is Array array)
        {
            var element = type.GetElementType()!;
            if (element.IsPrimitive || element.IsEnum || IsPlainStruct(element))
            {
                lines.Add($"{path} = {element.Name}[{array.Length}] {Hash(array)}");
                return;
            }
            for (int i = 0; i < array.Length; i++)
                Walk(array.GetValue(i), $"{path}[{i}]", lines, seen, skip);
            return;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (!skip(field))
                    Walk(field.GetValue(value), $"{path}.{field.Name}", lines, seen, skip);
    }

    private static bool IsPlainStruct(Type type)
        => type.IsValueType && !(bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(type).Invoke(null, null)!;

    private static string Hash(Array array)
        => (string)typeof(SpecSnapshot).GetMethod(nameof(HashOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(array.GetType().GetElementType()!).Invoke(null, new object[] { array })!;

    private static string HashOf<T>(T[] array) where T : unmanaged
        => Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.AsSpan())))[..16];
}
