using System;
using BpfSkeleton;
using BpfSkeleton.Tool;

// bpfsk VERB ...: exit 0 on success, 1 when the work failed (the message says why), 2 on bad usage.
try
{
    return args.Length == 0 ? Usage.Show() : args[0] switch
    {
        "gen-loader" => GenLoaderCommand.Run(args.AsSpan(1)),
        "dump" => ObjectDumper.Run(args.AsSpan(1)),
        "struct-ops" => StructOpsCommands.Run(args.AsSpan(1)),
        "-h" or "--help" or "help" => Usage.Show(exitCode: 0),
        _ => Usage.Show($"unknown verb '{args[0]}'"),
    };
}
catch (BpfException e)
{
    Console.Error.WriteLine($"bpfsk: {e.Message}");
    return 1;
}
