using System.Globalization;

namespace BpfSkeleton.Examples;

/// <summary>
/// The few option shapes the examples need: <c>--name value</c> or <c>--name=value</c>, and bare
/// flags. Unknown options and bad values print the usage and exit with status 2.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly string _usage;

    public CommandLine(string[] args, string usage)
    {
        _usage = usage;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help") Exit(0, null);
            if (!arg.StartsWith("--", StringComparison.Ordinal)) Exit(2, $"unexpected argument '{arg}'");
            var equals = arg.IndexOf('=');
            if (equals > 0)
                _options[arg[..equals]] = arg[(equals + 1)..];
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                _options[arg] = args[++i];
            else
                _options[arg] = null;
        }
    }

    /// <summary>How long to run: <c>--duration SECONDS</c>; 0 runs until Ctrl+C.</summary>
    public TimeSpan? Duration(double defaultSeconds)
    {
        var seconds = Double("--duration", defaultSeconds);
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    public bool Flag(string name)
    {
        if (!_options.TryGetValue(name, out var value)) return false;
        _used.Add(name);
        if (value is not null) Exit(2, $"{name} takes no value");
        return true;
    }

    public string String(string name, string defaultValue)
    {
        if (!_options.TryGetValue(name, out var value)) return defaultValue;
        _used.Add(name);
        return value ?? Exit<string>(2, $"{name} needs a value");
    }

    public string Choice(string name, string defaultValue, params string[] choices)
    {
        var value = String(name, defaultValue);
        return Array.IndexOf(choices, value) >= 0 ? value : Exit<string>(2, $"{name} must be one of: {string.Join(", ", choices)}");
    }

    public uint UInt32(string name, uint defaultValue)
        => uint.TryParse(String(name, defaultValue.ToString(CultureInfo.InvariantCulture)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value : Exit<uint>(2, $"{name} needs a non-negative integer");

    public double Double(string name, double defaultValue)
        => double.TryParse(String(name, defaultValue.ToString(CultureInfo.InvariantCulture)), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value : Exit<double>(2, $"{name} needs a non-negative number");

    /// <summary>Call after reading every option: anything left over is a typo.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Keys)
            if (!_used.Contains(name)) Exit(2, $"unknown option {name}");
    }

    private T Exit<T>(int status, string? error)
    {
        Exit(status, error);
        return default!;
    }

    private void Exit(int status, string? error)
    {
        if (error is not null) Console.Error.WriteLine($"error: {error}");
        (status == 0 ? Console.Out : Console.Error).WriteLine(_usage);
        Environment.Exit(status);
    }
}
