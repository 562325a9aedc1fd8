using System;
using System.Collections.Generic;
using System.IO;
using BpfSkeleton.Elf;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Finds functions in an executable or shared object and gives the file offsets that uprobes
    /// take: .symtab first, then .dynsym (as libbpf), each symbol's address mapped to the file
    /// through the PT_LOAD segment that contains it (right for PIE, shared and fixed-address files).
    /// </summary>
    internal static class ElfFunctions
    {
        public static ElfFile Open(string path)
        {
            try
            {
                return ElfFile.Parse(ObjectFileReader.ReadSymbolsAndNotes(path), path, ElfParseOptions.AnyMachine);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BpfException($"read binary '{path}'", e is UnauthorizedAccessException ? Errno.EACCES : Errno.EIO, e.Message);
            }
        }

        /// <summary>
        /// The file offset of function <paramref name="name"/>. A name matches a symbol spelled the same
        /// or followed by a symbol version ("name@VERS"). Among several matches at different addresses a
        /// global symbol wins over a weak one; two equally strong ones are ambiguous.
        /// </summary>
        public static ulong OffsetOf(ElfFile elf, string name)
        {
            foreach (IReadOnlyList<ElfSymbol> table in new[] { elf.Symbols, elf.DynamicSymbols })
            {
                ElfSymbol? best = null;
                foreach (ElfSymbol symbol in table)
                {
                    if (!IsDefinedFunction(symbol) || !NameMatches(symbol.Name, name))
                        continue;
                    if (best is null || best.Value == symbol.Value)
                    {
                        best ??= symbol;
                        continue;
                    }
                    bool bestGlobal = best.Bind == ElfConstants.STB_GLOBAL, global = symbol.Bind == ElfConstants.STB_GLOBAL;
                    if (bestGlobal == global)
                        throw new BpfException($"find function '{name}' in '{elf.FileName}'", Errno.EINVAL,
                            $"ambiguous: symbols '{best.Name}' at 0x{best.Value:x} and '{symbol.Name}' at 0x{symbol.Value:x}");
                    if (global)
                        best = symbol;
                }
                if (best is not null)
                    return FileOffset(elf, best);
            }
            throw new BpfException($"find function '{name}' in '{elf.FileName}'", Errno.ENOENT,
                elf.Symbols.Count == 0 && elf.DynamicSymbols.Count == 0 ? "the file has no symbol tables" : "no such function symbol");
        }

        /// <summary>
        /// Every function whose name matches the glob <paramref name="pattern"/> ('*' and '?'), by name,
        /// in name order; a function in both tables is listed once.
        /// </summary>
        public static List<(string Name, ulong Offset)> Match(ElfFile elf, string pattern)
        {
            var found = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
            foreach (IReadOnlyList<ElfSymbol> table in new[] { elf.Symbols, elf.DynamicSymbols })
            {
                foreach (ElfSymbol symbol in table)
                {
                    string name = BaseName(symbol.Name);
                    if (IsDefinedFunction(symbol) && !found.ContainsKey(name) && Glob.Matches(pattern, name))
                        found[name] = FileOffset(elf, symbol);
                }
            }
            if (found.Count == 0)
                throw new BpfException($"find functions matching '{pattern}' in '{elf.FileName}'", Errno.ENOENT, "no function symbol matches");
            var result = new List<(string, ulong)>(found.Count);
            foreach (var pair in found)
                result.Add((pair.Key, pair.Value));
            return result;
        }

        private static bool IsDefinedFunction(ElfSymbol symbol)
            => symbol.Type == ElfConstants.STT_FUNC && !symbol.IsUndefined && symbol.Value != 0;

        private static bool NameMatches(string symbolName, string wanted)
            => symbolName.StartsWith(wanted, StringComparison.Ordinal)
               && (symbolName.Length == wanted.Length || symbolName[wanted.Length] == '@');

        private static string BaseName(string symbolName)
        {
            int at = symbolName.IndexOf('@');
            return at < 0 ? symbolName : symbolName.Substring(0, at);
        }

        private static ulong FileOffset(ElfFile elf, ElfSymbol symbol)
        {
            if (!elf.TryGetFileOffset(symbol.Value, out ulong offset))
                throw new BpfException($"place a uprobe on '{symbol.Name}' in '{elf.FileName}'", Errno.EINVAL,
                    $"address 0x{symbol.Value:x} is in no loadable segment");
            return offset;
        }
    }
}
