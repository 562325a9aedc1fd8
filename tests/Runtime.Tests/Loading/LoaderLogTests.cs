using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using BpfSkeleton.Elf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Logging;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>The loader's log channel (BpfLogging, BpfOpenOptions.Logger): what a load says, and silence that costs nothing.</summary>
[Collection("Kernel")]
public sealed class LoaderLogTests : IDisposable
{
    private readonly string _targetPath = Path.Combine(Path.GetTempPath(), $"bpfskeleton-log-target-{Guid.NewGuid():N}.btf");

    public LoaderLogTests()
    {
        // A target BTF path no test read before: its read is logged (kernel BTF is read once per path per process).
        var elf = ElfFile.Parse(TestObjects.Bytes("core_custom_target"), "core_custom_target.bpf.o");
        File.WriteAllBytes(_targetPath, (elf.FindSection(".BTF") ?? throw new InvalidOperationException("no .BTF")).Data.ToArray());
    }

    public void Dispose() => File.Delete(_targetPath);

    [KernelFact(BpfProgramType.Syscall)]
    public void ALoadLogsKernelBtfFixupsRelocationsMapsAndPrograms()
    {
        var log = new ListLogger(LogLevel.Debug);
        using var obj = BpfObject.Open(TestObjects.PathOf("core_custom"), new BpfOpenOptions { KernelBtfPath = _targetPath, Logger = log });
        obj.Program("read_renamed").AutoLoad = false;
        obj.Load();

        Assert.Contains(log.Lines, l => l.Contains($"kernel BTF: read {_targetPath}"));
        Assert.Contains(log.Lines, l => l.Contains("core_custom.bpf.o: object BTF fixed up for this kernel") && l.Contains("it lacks, rewritten or left out: Layout"));
        Assert.Contains(log.Lines, l => l.Contains("CO-RE relocation #") && l.Contains("->"));
        Assert.Contains(log.Lines, l => l.Contains("map '") && l.EndsWith("' created"));
        Assert.Contains(log.Lines, l => l.Contains("program '") && l.Contains("(Syscall) loaded"));
        Assert.Contains(log.Lines, l => l.Contains("core_custom.bpf.o: loaded in "));
        Assert.Equal(LogLevel.Information, log.Entries.Single(e => e.Message.Contains(": loaded in ")).Level);
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void ARefusedProgramLogsTheVerifiersLogAtDebug()
    {
        var log = new ListLogger(LogLevel.Debug);
        using var obj = BpfObject.Open(TestObjects.PathOf("verifier_reject"), new BpfOpenOptions { Logger = log });
        Assert.Throws<BpfVerifierException>(obj.Load);

        var refused = log.Entries.Single(e => e.Message.Contains("refused by the verifier"));
        Assert.Equal(LogLevel.Debug, refused.Level);
        Assert.Contains("map_value_or_null", refused.Message);
    }

    [KernelFact(BpfProgramType.Syscall, BpfProgramType.Tracepoint)]
    public void VerifierStatisticsAreLoggedWhenAProgramAsksForThem()
    {
        var log = new ListLogger(LogLevel.Debug);
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"), new BpfOpenOptions { Logger = log });
        KernelRefusals.LeaveOut(obj);
        obj.Program("run_globals").LogLevel = 4; // BPF_LOG_STATS
        obj.Load();

        var stats = Assert.Single(log.Lines, l => l.Contains("verifier log (kept at its LogLevel)"));
        Assert.Contains("program 'run_globals'", stats);
        Assert.Contains("processed", stats);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void StructOpsMembersAreMatchedAloud()
    {
        var log = new ListLogger(LogLevel.Debug);
        using var obj = BpfObject.Open(TestObjects.PathOf("tcp_cc"), new BpfOpenOptions { Logger = log });
        foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = map.Name == "plain_cc";
        obj.Load();

        var matched = Assert.Single(log.Lines, l => l.Contains("struct_ops 'plain_cc': matched to the kernel's struct tcp_congestion_ops"));
        Assert.Contains("cong_avoid: kernel member", matched);
    }

    [KernelFact(BpfProgramType.Syscall, BpfProgramType.Tracepoint)]
    public void TheProcessWideLoggerHearsObjectsWithoutTheirOwn()
    {
        var log = new ListLogger(LogLevel.Information);
        BpfLogging.Logger = log;
        try
        {
            using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
            KernelRefusals.LeaveOut(obj);
            obj.Load();
        }
        finally { BpfLogging.Logger = null; }

        Assert.Contains(log.Lines, l => l.Contains("globals.bpf.o: loaded in "));
        Assert.DoesNotContain(log.Entries, e => e.Level < LogLevel.Information); // the level it asked for, no more
    }

    [Fact]
    public void ACallbackGetsEachLineAtOrAboveItsLevel()
    {
        var lines = new ConcurrentQueue<(LogLevel Level, string Line)>();
        var logger = BpfLogging.ToCallback((level, line) => lines.Enqueue((level, line)), LogLevel.Information);
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        using (LoaderLog.Use(logger))
        {
            LoaderLog.MapCreated("x.bpf.o", "counts"); // Debug: below the callback's minimum
            LoaderLog.ObjectLoaded(obj.Spec.FileName, obj.Maps.Count, obj.Programs.Count, 1.5);
        }

        var (level, line) = Assert.Single(lines);
        Assert.Equal(LogLevel.Information, level);
        Assert.Contains("globals.bpf.o: loaded in 1.5 ms (", line);
    }

    [Fact]
    public void NobodyListeningAllocatesNothing()
    {
        var error = new BpfVerifierException("BPF_PROG_LOAD", 13, "log");
        void LogEverything()
        {
            LoaderLog.ProbeAnswered("x: supported");
            LoaderLog.KernelBtfRead("/sys/kernel/btf/vmlinux", 5_000_000, 100_000);
            LoaderLog.ObjectBtfPrepared("x.bpf.o", 100, 100, Btf.BtfFeatures.Layout);
            LoaderLog.CoreRelocated("x.bpf.o", "prog", "relocation", 8, 16);
            LoaderLog.MapCreated("x.bpf.o", "counts");
            LoaderLog.MapPinned("x.bpf.o", "counts", "/sys/fs/bpf/counts");
            LoaderLog.ProgramLoaded("x.bpf.o", "prog", BpfProgramType.Tracepoint, 12);
            LoaderLog.ProgramRefused("x.bpf.o", "prog", error);
        }

        foreach (var logger in new ILogger?[] { null, new ListLogger(LogLevel.Warning) })
        {
            using var scope = LoaderLog.Use(logger);
            LogEverything(); // warm up: JIT and statics
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++) LogEverything();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    /// <summary>Collects every enabled line with its level.</summary>
    private sealed class ListLogger(LogLevel minimum) : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public string[] Lines => Entries.Select(e => e.Message).ToArray();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
