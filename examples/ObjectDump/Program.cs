// Opens BPF objects (no kernel calls) and prints what they contain: programs, maps,
// struct_ops maps with their members, global variables and externs.
using System;
using System.IO;
using System.Linq;
using BpfSkeleton;
using BpfSkeleton.Specs;

var paths = args.Length > 0
    ? args
    : Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "bpf"), "*.o").OrderBy(p => p, StringComparer.Ordinal).ToArray();

foreach (var path in paths)
{
    using var obj = BpfObject.Open(path);
    var spec = obj.Spec;
    Console.WriteLine($"{Path.GetFileName(path)}: object '{spec.ObjectName}', license '{spec.License}', BTF {(spec.Btf is null ? "none" : spec.Btf.TypeCount + " types")}");
    foreach (var program in spec.Programs)
        Console.WriteLine($"  program {program.Name,-24} {program.Type,-14} section {program.SectionName} ({program.Instructions.Length} insns, {program.Relocations.Count} relocations, {program.CoreRelocations.Count} CO-RE)");
    foreach (var map in spec.Maps)
    {
        Console.WriteLine($"  map     {map.Name,-24} {map.Type,-14} key {map.KeySize} value {map.ValueSize} max {map.MaxEntries}{(map.AutoCreate ? "" : " (not created unless asked)")}");
        if (map.DataSection is { } data)
            foreach (var variable in data.Variables)
                Console.WriteLine($"          {data.SectionName}: {variable.Name} @ {variable.Offset} ({variable.Size} bytes{(variable.IsGlobal ? "" : ", static")})");
        if (map.StructOps is { } ops)
        {
            Console.WriteLine($"          struct {ops.TypeName} via {ops.SectionName}");
            foreach (var member in ops.Members)
                Console.WriteLine($"          .{member.Name,-16} {member.Kind,-15} @ {member.Offset,3} ({member.Size} bytes){(ops.GetProgram(member) is { } p ? " -> " + p : "")}");
        }
    }
    foreach (var extern_ in spec.Externs)
        Console.WriteLine($"  extern  {extern_.Name,-24} {extern_.Kind}{(extern_.IsWeak ? " (weak)" : "")}");
}
