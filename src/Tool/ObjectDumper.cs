// Opens BPF objects (no kernel calls) and prints what they contain: programs, maps, struct_ops maps with their
// members, global variables and externs. bpfsk dump runs it; so does examples/ObjectDump.
using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Tool
{
    /// <summary>bpfsk dump: what an object holds, as the loader reads it.</summary>
    internal static class ObjectDumper
    {
        /// <summary>Dumps every object named in <paramref name="paths"/> to standard output; returns the exit code.</summary>
        public static int Run(ReadOnlySpan<string> paths)
        {
            if (paths.Length == 0) return Usage.Show("dump needs at least one object");
            foreach (var path in paths)
                Dump(path, Console.Out);
            return 0;
        }

        /// <summary>Writes what the object at <paramref name="path"/> holds to <paramref name="output"/>.</summary>
        public static void Dump(string path, TextWriter output)
        {
            using var obj = BpfObject.Open(path);
            var spec = obj.Spec;
            output.WriteLine($"{Path.GetFileName(path)}: object '{spec.ObjectName}', license '{spec.License}', BTF {(spec.BtfTypeCount is { } types ? types + " types" : "none")}");
            foreach (var program in spec.Programs)
                output.WriteLine($"  program {program.Name,-24} {program.Type,-14} section {program.SectionName} ({program.Instructions.Length} insns, {program.RelocationCount} relocations, {program.CoreRelocationCount} CO-RE)");
            foreach (var map in spec.Maps)
            {
                output.WriteLine($"  map     {map.Name,-24} {map.Type,-14} key {map.KeySize} value {map.ValueSize} max {map.MaxEntries}{(map.AutoCreate ? "" : " (not created unless asked)")}");
                if (map.DataSection is { } data)
                    foreach (var variable in data.Variables)
                        output.WriteLine($"          {data.SectionName}: {variable.Name} @ {variable.Offset} ({variable.Size} bytes{(variable.IsGlobal ? "" : ", static")})");
                if (map.StructOps is { } ops)
                {
                    output.WriteLine($"          struct {ops.TypeName} via {ops.SectionName}");
                    foreach (var member in ops.Members)
                        output.WriteLine($"          .{member.Name,-16} {member.Kind,-15} @ {member.Offset,3} ({member.Size} bytes){(ops.GetProgram(member) is { } p ? " -> " + p : "")}");
                }
            }
            foreach (var extern_ in spec.Externs)
                output.WriteLine($"  extern  {extern_.Name,-24} {extern_.Kind}{(extern_.IsWeak ? " (weak)" : "")}");
        }
    }
}
