using System.Collections.Generic;
using BpfSkeleton.Generator.Model;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// The names declared in one C# scope (a class or struct). A wanted name that is taken gets the
    /// smallest free numeric suffix (<c>Foo2</c>, <c>Foo3</c>, …) and an info diagnostic, so results
    /// depend only on declaration order, which the parser keeps deterministic.
    /// </summary>
    internal sealed class NameScope
    {
        // Members every type inherits from object: declaring them would hide (warning CS0108/CS0114).
        private static readonly string[] InheritedNames = { "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" };

        private readonly HashSet<string> _taken = new HashSet<string>(System.StringComparer.Ordinal);
        private readonly string _description;
        private readonly DiagnosticSink _diagnostics;

        public NameScope(string description, DiagnosticSink diagnostics, params string[] reserved)
        {
            _description = description;
            _diagnostics = diagnostics;
            foreach (var name in InheritedNames) _taken.Add(name);
            foreach (var name in reserved) _taken.Add(name);
        }

        /// <summary>Claims <paramref name="wanted"/> (or a suffixed variant) for the C symbol <paramref name="cName"/>.</summary>
        public string Claim(string wanted, string cName)
        {
            if (_taken.Add(wanted)) return wanted;
            var suffix = 2;
            while (!_taken.Add(wanted + suffix)) suffix++;
            var chosen = wanted + suffix;
            _diagnostics.Report(DiagnosticDescriptors.NameCollision.Id, cName, wanted, _description, chosen);
            return chosen;
        }
    }

    /// <summary>Collects diagnostics for one object; every message starts with the object's path.</summary>
    internal sealed class DiagnosticSink
    {
        private readonly List<DiagnosticInfo> _items = new List<DiagnosticInfo>();
        private readonly string _path;

        public DiagnosticSink(string path) => _path = path;

        public void Report(string id, params string[] arguments)
        {
            var all = new string[arguments.Length + 1];
            all[0] = _path;
            arguments.CopyTo(all, 1);
            _items.Add(new DiagnosticInfo(id, _path, new EquatableArray<string>(all)));
        }

        public EquatableArray<DiagnosticInfo> ToArray() => _items.ToEquatableArray();
    }
}
