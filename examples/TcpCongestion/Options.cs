using BpfSkeleton.Examples;

namespace TcpCongestion;

/// <summary>What the command line asks for; each option becomes a shadow value or tunable before load.</summary>
internal sealed record Options(
    string Name,
    string CongAvoid,
    uint BetaPercent,
    uint InitialSsthresh,
    bool NonRestricted,
    TimeSpan? Duration)
{
    public const string Usage = """
        usage: TcpCongestion [options]
          --name NAME             name to register the congestion control under (default bpfsk_reno, at most 15 bytes)
          --cong-avoid reno|scalable
                                  congestion avoidance growth rule, chosen by swapping the program before load
                                  (default reno; 'alt' means scalable)
          --beta PERCENT          share of cwnd kept after a loss (default 50, Reno's)
          --initial-ssthresh N    slow start threshold of new connections in segments (default 16; 0: kernel default)
          --non-restricted        set TCP_CONG_NON_RESTRICTED, so unprivileged sockets may select it too
          --duration SECONDS      run this long, then unregister and exit (default 5; 0: until Ctrl+C)
        """;

    public static Options Parse(string[] args)
    {
        var line = new CommandLine(args, Usage);
        var congAvoid = line.Choice("--cong-avoid", "reno", "reno", "scalable", "alt");
        var options = new Options(
            Name: line.String("--name", "bpfsk_reno"),
            CongAvoid: congAvoid == "alt" ? "scalable" : congAvoid,
            BetaPercent: line.UInt32("--beta", 50),
            InitialSsthresh: line.UInt32("--initial-ssthresh", 16),
            NonRestricted: line.Flag("--non-restricted"),
            Duration: line.Duration(defaultSeconds: 5));
        line.RejectUnknown();
        if (options.BetaPercent is 0 or > 100)
        {
            Console.Error.WriteLine("error: --beta must be between 1 and 100");
            Environment.Exit(2);
        }
        return options;
    }
}
