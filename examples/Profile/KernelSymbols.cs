using System.Globalization;

namespace Profile;

/// <summary>Kernel addresses to function names, from /proc/kallsyms (root sees real addresses).</summary>
internal sealed class KernelSymbols
{
    private readonly ulong[] _addresses;
    private readonly string[] _names;

    private KernelSymbols(ulong[] addresses, string[] names)
    {
        _addresses = addresses;
        _names = names;
    }

    public static KernelSymbols Load()
    {
        var symbols = new List<(ulong Address, string Name)>();
        foreach (var line in File.ReadLines("/proc/kallsyms"))
        {
            // "ffffffff81000000 T _stext [module]"
            var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[1] is not ("T" or "t" or "W" or "w")) continue;
            if (ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address) && address != 0)
                symbols.Add((address, parts[2]));
        }
        symbols.Sort((a, b) => a.Address.CompareTo(b.Address));
        return new KernelSymbols(symbols.Select(s => s.Address).ToArray(), symbols.Select(s => s.Name).ToArray());
    }

    /// <summary>The function containing <paramref name="address"/>: the nearest symbol at or below it.</summary>
    public string Resolve(ulong address)
    {
        var index = Array.BinarySearch(_addresses, address);
        if (index < 0) index = ~index - 1;
        return index >= 0 ? _names[index] : $"0x{address:x}";
    }
}
