using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace BpfSkeleton.Runtime.Tests.Layering;

/// <summary>
/// Folders are layers: each runtime folder has its namespace, and the compiled runtime's types depend only on
/// layers below their own (docs/architecture.md, "Layers"). The order is declared once, in <see cref="Layers"/>.
/// </summary>
public partial class LayeringTests(ITestOutputHelper output)
{
    /// <summary>A layer: a folder (under src/Runtime, or src/Shared for the shared object model) and its namespace.</summary>
    public sealed record Layer(string Folder, string Namespace, string Why);

    /// <summary>Bottom first: a type may use types of its own layer and of the layers listed before it, never after.</summary>
    public static readonly Layer[] Layers =
    [
        new("Interop", "BpfSkeleton.Interop", "bpf() and libc entry points with their attrs: raw results (-errno), nothing above them"),
        new("Errors", "BpfSkeleton", "errno to exception, the one exception root: needs errno names and the process's privileges only"),
        new("Shared", "BpfSkeleton", "shared with the generator: byte order, UTF-8, the kernel's enums, the format error (a BpfException)"),
        new("Shared/Elf", "BpfSkeleton.Elf", "the ELF reader: bytes in, sections/symbols/notes out, no I/O"),
        new("Shared/Btf", "BpfSkeleton.Btf", "BTF and BTF.ext over bytes; reads ELF sections"),
        new("Shared/Specs", "BpfSkeleton.Specs", "what an object says (programs, maps, data, struct_ops), parsed from ELF and BTF, never the kernel"),
        new("Logging", "BpfSkeleton.Logging", "the log channel: takes plain values, so every layer above can log"),
        new("Handles", "BpfSkeleton.Handles", "file descriptors as SafeHandles, and ELF files read through them"),
        new("Kernel", "BpfSkeleton.Kernel", "kernel objects (maps, program handles, BTF handles, ids, info), one bpf() call each"),
        new("KernelFacts", "BpfSkeleton.KernelFacts", "what the running kernel is and allows (its BTF, kconfig, kallsyms, feature probes): asks with kernel objects"),
        new("Loading", "BpfSkeleton.Loading", "plans an opened spec's load against the kernel facts; a back-end performs it into a LoadedState"),
        new("Light", "BpfSkeleton.Light", "the second back-end: records the plan into a loader program, and runs it into a LoadedState"),
        new("Links", "BpfSkeleton.Links", "attaches loaded programs (one family per file) and owns the links: needs handles, facts and what Loading placed"),
        new("RingBuffer", "BpfSkeleton.RingBuffer", "ring buffer readers and writers over a map's mapping"),
        new("PerfBuffer", "BpfSkeleton.PerfBuffer", "perf buffer readers: perf events opened per CPU, epoll shared with the ring buffer"),
        new("Objects", "BpfSkeleton", "the user's object (BpfObject, programs, maps, global data, options): drives every layer below"),
    ];

    /// <summary>
    /// Back-edges not broken yet, each with the reason it stays. Any other back-edge fails, and so does one of these
    /// once it is gone (take it off the list): the list only shrinks. It is empty: the last one (Light -> Objects)
    /// went when Light moved onto Loading's ILoadSource and the recording entry point onto BpfObject.
    /// </summary>
    public static readonly (string From, string To, string Why)[] KnownBackEdges = [];

    private static readonly string RepoRoot = FindRepoRoot();

    [Fact]
    public void DependenciesPointDown()
    {
        var graph = NamespaceGraph();
        var rank = Layers.Select((l, i) => (l.Folder, i)).ToDictionary(x => x.Folder, x => x.i);
        var backEdges = new List<string>();
        foreach (var ((from, to), uses) in graph.OrderBy(e => rank[e.Key.From]).ThenBy(e => rank[e.Key.To]))
            if (rank[to] > rank[from] && !KnownBackEdges.Any(k => k.From == from && k.To == to))
                backEdges.Add($"{Name(from)} -> {Name(to)} (a lower layer uses a higher one): {string.Join(", ", uses.Order())}");
        foreach (var known in KnownBackEdges)
            if (!graph.ContainsKey((known.From, known.To)))
                backEdges.Add($"{Name(known.From)} -> {Name(known.To)} is listed in KnownBackEdges but is gone: take it off the list");
        output.WriteLine(Describe(graph));
        Assert.True(backEdges.Count == 0, "dependencies against the layer order:\n" + string.Join("\n", backEdges));
    }

    [Fact]
    public void EachFolderHasItsNamespace()
    {
        var wrong = new List<string>();
        var byNamespace = new Dictionary<string, HashSet<string>>();
        foreach (var (file, folder, ns) in SourceFiles())
        {
            var layer = LayerOf(folder);
            if (layer is null)
            {
                wrong.Add($"{file}: folder '{folder}' is no declared layer");
                continue;
            }
            if (ns != layer.Namespace)
                wrong.Add($"{file}: namespace {ns ?? "(none)"}, its folder's is {layer.Namespace}");
            (byNamespace.TryGetValue(ns ?? "", out var set) ? set : byNamespace[ns ?? ""] = []).Add(layer.Folder);
        }
        // One folder per namespace; the root namespace is the user's (Objects), its exception root (Errors) and the
        // shared object model's few root types: `using BpfSkeleton;` is all a user needs to open, load and catch.
        foreach (var (ns, folders) in byNamespace)
            if (folders.Count > 1 && ns != "BpfSkeleton")
                wrong.Add($"namespace {ns} spans folders {string.Join(", ", folders.Order())}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static string Name(string folder) => LayerOf(folder) is { Namespace: "BpfSkeleton" } root ? $"BpfSkeleton ({root.Folder})" : LayerOf(folder)!.Namespace;

    private static Layer? LayerOf(string folder)
        => Layers.Where(l => folder == l.Folder || folder.StartsWith(l.Folder + "/", StringComparison.Ordinal))
            .OrderByDescending(l => l.Folder.Length).FirstOrDefault();

    /// <summary>The graph as text: each layer, top first, with the layers it uses.</summary>
    private static string Describe(Dictionary<(string From, string To), HashSet<string>> graph)
    {
        var text = new StringBuilder("runtime namespace dependencies (top first; each uses only layers below it):\n");
        foreach (var layer in Layers.Reverse())
        {
            var uses = graph.Keys.Where(e => e.From == layer.Folder).Select(e => e.To)
                .OrderByDescending(f => Array.FindIndex(Layers, l => l.Folder == f)).Select(Name);
            text.Append($"  {Name(layer.Folder),-34} -> {string.Join(", ", uses)}\n");
        }
        foreach (var known in KnownBackEdges)
        {
            text.Append($"  known back-edge: {Name(known.From)} -> {Name(known.To)}: {known.Why}\n");
        }
        return text.ToString();
    }

    // ---- sources: which folder declares each type ----

    private static string FindRepoRoot([CallerFilePath] string path = "")
    {
        var dir = Path.GetDirectoryName(path);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Skeleton.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found from " + path);
    }

    /// <summary>Every runtime and shared source file: its layer folder ("Links/Kprobes", "Shared/Btf") and namespace.</summary>
    private static IEnumerable<(string File, string Folder, string? Namespace)> SourceFiles()
    {
        foreach (var (root, prefix) in new[] { ("src/Runtime", ""), ("src/Shared", "Shared") })
        {
            var dir = Path.Combine(RepoRoot, root);
            foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(dir, file).Replace('\\', '/');
                if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal)) continue;
                var folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
                folder = prefix.Length == 0 ? folder : folder.Length == 0 ? prefix : prefix + "/" + folder;
                var namespaces = NamespaceLine().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).Distinct().ToList();
                // A file with two namespaces reports the odd one out; with none, null.
                yield return ($"{root}/{relative}", folder, namespaces.Count == 0 ? null : namespaces.FirstOrDefault(n => n != LayerOf(folder)?.Namespace) ?? namespaces[0]);
            }
        }
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+(?:struct|class))?)\s+(\w+)|\bdelegate\s+[\w<>\[\]?,. ]+?\s+(\w+)\s*[<(]")]
    private static partial Regex TypeDeclaration();

    /// <summary>Top-level type (namespace.name) to the layer folder whose files declare it.</summary>
    private static Dictionary<string, string> TypeFolders()
    {
        var folders = new Dictionary<string, string>();
        foreach (var (file, folder, ns) in SourceFiles())
        {
            var layer = LayerOf(folder) ?? throw new InvalidOperationException($"{file}: folder '{folder}' is no declared layer");
            var code = StripCommentsAndStrings(File.ReadAllText(Path.Combine(RepoRoot, file)));
            var fileScoped = Regex.IsMatch(code, @"^namespace\s+[\w.]+\s*;", RegexOptions.Multiline);
            foreach (var (name, depth) in TopLevelNames(code))
            {
                if (depth != (fileScoped ? 0 : 1)) continue;
                var full = $"{ns}.{name}";
                if (folders.TryGetValue(full, out var other) && other != layer.Folder)
                    throw new InvalidOperationException($"{full} is declared in {other} and {layer.Folder}");
                folders[full] = layer.Folder;
            }
        }
        return folders;
    }

    private static IEnumerable<(string Name, int Depth)> TopLevelNames(string code)
    {
        var depthAt = new int[code.Length + 1];
        for (int i = 0, depth = 0; i < code.Length; i++)
        {
            depthAt[i] = depth;
            if (code[i] == '{') depth++;
            else if (code[i] == '}') depth--;
        }
        foreach (Match m in TypeDeclaration().Matches(code))
        {
            var group = m.Groups[1].Success ? m.Groups[1] : m.Groups[2];
            yield return (group.Value, depthAt[m.Index]);
        }
    }

    private static string StripCommentsAndStrings(string code)
    {
        code = Regex.Replace(code, "\"\"\".*?\"\"\"", "\"\"", RegexOptions.Singleline);
        code = Regex.Replace(code, @"//[^\n]*|/\*.*?\*/|@""(?:""""|[^""])*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])+'", " ", RegexOptions.Singleline);
        return code;
    }

    // ---- the compiled runtime: which types each type uses ----

    /// <summary>(from layer, to layer) to the type names used across that edge ("Using -> Used").</summary>
    private static Dictionary<(string From, string To), HashSet<string>> NamespaceGraph()
    {
        var typeFolders = TypeFolders();
        using var stream = File.OpenRead(typeof(BpfObject).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new Dictionary<(string, string), HashSet<string>>();
        var collector = new TypeCollector(reader);

        string? FolderOf(TypeDefinitionHandle handle)
        {
            var outer = Outermost(reader, handle);
            var def = reader.GetTypeDefinition(outer);
            var ns = reader.GetString(def.Namespace);
            if (!ns.StartsWith("BpfSkeleton", StringComparison.Ordinal)) return null;   // compiler- and generator-made helpers
            var name = reader.GetString(def.Name);
            var tick = name.IndexOf('`');
            var key = $"{ns}.{(tick < 0 ? name : name[..tick])}";
            return typeFolders.TryGetValue(key, out var folder) ? folder
                : throw new InvalidOperationException($"no source file declares {key}");
        }

        foreach (var handle in reader.TypeDefinitions)
        {
            var from = FolderOf(handle);
            if (from is null) continue;
            collector.Used.Clear();
            collector.CollectType(handle, pe);
            var fromLayer = LayerOf(from)!.Folder;
            foreach (var used in collector.Used)
            {
                var to = FolderOf(used);
                if (to is null) continue;
                var toLayer = LayerOf(to)!.Folder;
                if (toLayer == fromLayer) continue;
                var key = (fromLayer, toLayer);
                (graph.TryGetValue(key, out var set) ? set : graph[key] = [])
                    .Add($"{TypeName(reader, Outermost(reader, handle))} -> {TypeName(reader, Outermost(reader, used))}");
            }
        }
        return graph;
    }

    private static TypeDefinitionHandle Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        while (reader.GetTypeDefinition(handle).GetDeclaringType() is { IsNil: false } outer) handle = outer;
        return handle;
    }

    private static string TypeName(MetadataReader reader, TypeDefinitionHandle handle) => reader.GetString(reader.GetTypeDefinition(handle).Name);
}
