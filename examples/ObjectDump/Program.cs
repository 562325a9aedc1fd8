// Opens BPF objects (no kernel calls) and prints what they contain, with the dumper bpfsk dump uses.
using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Tool;

var paths = args.Length > 0
    ? args
    : Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "bpf"), "*.o").OrderBy(p => p, StringComparer.Ordinal).ToArray();
foreach (var path in paths)
    ObjectDumper.Dump(path, Console.Out);
