using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace BpfSkeleton.Generator
{
    /// <summary>Every diagnostic the generator reports. IDs are stable: never renumber or reuse one.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "BpfSkeleton";

        public static readonly DiagnosticDescriptor InvalidObject = new(
            "BPFSK001", "Not a usable BPF object",
            "{0}: {1}. No skeleton was generated. Pass a clang '-target bpf' object (clang -g -O2 -target bpf -c x.bpf.c -o x.bpf.o).",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnreadableEncoding = new(
            "BPFSK002", "Encoded BPF object is unreadable",
            "{0}: the encoded object '{1}' is not valid base64 ({2}). Rebuild so the BpfSkeleton targets re-encode the object.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NoBtf = new(
            "BPFSK003", "BPF object has no BTF",
            "{0}: the object has no .BTF section, so only an untyped skeleton was generated (programs and maps, no typed global data, map types or struct_ops shadows). Compile with clang -g.",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UntypedMember = new(
            "BPFSK004", "Member typed differently than its C type",
            "{0}: {1} '{2}' ({3}) is exposed as {4}: {5}",
            Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NameCollision = new(
            "BPFSK005", "Generated name renamed to avoid a collision",
            "{0}: '{1}' would be named '{2}', which is already taken in {3}; it is named '{4}' instead. Rename the C symbol to choose the name.",
            Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor DuplicateSkeleton = new(
            "BPFSK006", "Two skeletons with one name",
            "{0}: skeleton '{1}' is already generated from '{2}', so none was generated for this object. Set BpfSkeletonClassName (or BpfSkeletonNamespace) metadata on one of the items.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor InvalidName = new(
            "BPFSK007", "Invalid skeleton name metadata",
            "{0}: {1} '{2}' is not a valid C# {3}; '{4}' is used instead. Fix the item's metadata.",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor StripFailed = new(
            "BPFSK008", "Debug sections could not be stripped",
            "{0}: {1}. The object is embedded unstripped (larger, but loads the same).",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor TypeLimit = new(
            "BPFSK009", "Too many generated types",
            "{0}: more than {1} C types are reachable from maps, global data and struct_ops; the rest are kept as bytes. Simplify the exposed types.",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnknownSection = new(
            "BPFSK010", "Program in a section with no program type",
            "{0}: program '{1}' is in section '{2}', which names no program type, so Load() will refuse it. Use a libbpf SEC() name (e.g. \"sk_lookup\", \"tc\", \"xdp\"), or set Programs.{3}.Type (and AutoLoad) before Load().",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnreadableLoader = new(
            "BPFSK020", "Light skeleton loader is unreadable",
            "{0}: the light skeleton's loader '{1}' is not the base64 text the build writes ({2}); the skeleton loads without it. Rebuild, or remove Light=\"true\" from the object's item.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor GeneratorFault = new(
            "BPFSK011", "The generator failed on an object",
            "{0}: the generator failed with {1} in {2} ({3}). This is a fault in BpfSkeleton.Generator, not in the object. No skeleton was generated. Report it with the object file; until then, open the object at run time with BpfObject.Open.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = Index(
            InvalidObject, UnreadableEncoding, NoBtf, UntypedMember, NameCollision, DuplicateSkeleton, InvalidName, StripFailed, TypeLimit,
            UnknownSection, GeneratorFault, UnreadableLoader);

        public static DiagnosticDescriptor Get(string id) => ById[id];

        private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
        {
            var map = new Dictionary<string, DiagnosticDescriptor>();
            foreach (var d in descriptors) map.Add(d.Id, d);
            return map;
        }
    }
}
