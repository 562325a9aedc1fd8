using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

[Collection("Kernel")]
public class ProgramTests
{
    private static BpfMap CounterArray() => BpfMap.Create(new BpfMapCreateOptions
    {
        Type = BpfMapType.Array, Name = "counter", KeySize = 4, ValueSize = 8, MaxEntries = 1,
    });

    [KernelFact]
    public void SocketFilterIncrementsMapOnTestRun()
    {
        using var counter = CounterArray();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter, Name = "count_runs",
            Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd(), returnValue: 7),
        });
        Assert.Equal("count_runs", program.Name);
        Assert.Equal(BpfProgramType.SocketFilter, program.Type);
        Assert.NotEqual(0u, program.Id);
        Assert.Equal(16, program.Info.Tag.Length);
        Assert.Equal(1u, program.Info.MapCount);

        var result = program.TestRun(new BpfTestRunOptions { DataIn = new byte[64], Repeat = 5 });
        Assert.Equal(7u, result.ReturnValue);
        Assert.Equal(5L, counter.Lookup<int, long>(0));

        ulong[] translated = program.GetTranslatedInstructions();
        Assert.True(translated.Length >= 9, $"{translated.Length} translated instructions");
    }

    [KernelFact(BpfProgramType.Xdp)]
    public void XdpTestRunReturnsData()
    {
        // return XDP_PASS (2)
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Xdp, Name = "pass", Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 2), Asm.Exit()),
        });
        byte[] packet = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var result = program.TestRun(new BpfTestRunOptions { DataIn = packet, DataOutSize = 128 });
        Assert.Equal(2u, result.ReturnValue);
        Assert.Equal(packet, result.DataOut);
    }

    [KernelFact]
    public void VerifierRejectionCarriesLogAndLeaksNothing()
    {
        string name = "bad" + Environment.ProcessId % 100000;
        var leaks = new Infrastructure.LeakCheck();

        // Reads R2, which is never written.
        var e = Assert.Throws<BpfVerifierException>(() => BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter, Name = name,
            Instructions = Asm.Program(Asm.Mov64Reg(Asm.R0, Asm.R2), Asm.Exit()),
        }));
        Assert.Contains("R2 !read_ok", e.VerifierLog);
        Assert.Contains("R2 !read_ok", e.Summary);
        Assert.Contains("R2 !read_ok", e.Message);
        Assert.Equal("EACCES", e.ErrnoName);
        Assert.Contains($"load program '{name}'", e.Operation);

        leaks.AssertNothingLeaked();
    }

    [KernelFact]
    public void VerifierSummaryOmitsEarlyLines()
    {
        string log = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\nprocessed 3 insns (limit 1000000)\n";
        string summary = BpfVerifierException.Summarize(log);
        Assert.StartsWith("(23 lines omitted)", summary);
        Assert.Contains("line 30", summary);
        Assert.DoesNotContain("line 22\n", summary);
    }

    [KernelFact]
    public void LogLevelKeepsTheLogOfASuccessfulLoad()
    {
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter, LogLevel = 2, Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 0), Asm.Exit()),
        });
        Assert.Contains("processed", program.VerifierLog);
    }

    [KernelFact]
    public void UnsupportedProgramTypeIsNotSupported()
    {
        var e = Assert.Throws<BpfNotSupportedException>(() => BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = (BpfProgramType)9999, Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 0), Asm.Exit()),
        }));
        Assert.Contains("9999", e.Message);
    }

    [KernelFact]
    public void UnsupportedMapTypeIsNotSupported()
    {
        var e = Assert.Throws<BpfNotSupportedException>(() => BpfMap.Create(new BpfMapCreateOptions
        {
            Type = (BpfMapType)9999, Name = "weird", KeySize = 4, ValueSize = 4, MaxEntries = 1,
        }));
        Assert.Equal("EINVAL", e.ErrnoName);
        Assert.Contains("create map 'weird'", e.Message);
        Assert.Contains("not supported by this kernel", e.Message);
    }

    [KernelFact]
    public void BadMapAttributesAreNotReportedAsUnsupported()
    {
        var e = Assert.Throws<BpfException>(() => BpfMap.Create(new BpfMapCreateOptions
        {
            Type = BpfMapType.Array, KeySize = 8, ValueSize = 4, MaxEntries = 1, // arrays need 4-byte keys
        }));
        Assert.IsNotType<BpfNotSupportedException>(e);
        Assert.Equal("EINVAL", e.ErrnoName);
    }

    [KernelFact]
    public void PinAndReopenByPath()
    {
        string directory = BpfFs.EnsureMounted();
        string mapPath = Path.Combine(directory, $"bpfsk_map_{Environment.ProcessId}");
        string programPath = Path.Combine(directory, $"bpfsk_prog_{Environment.ProcessId}");
        using var counter = CounterArray();
        using var program = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter, Name = "pinned", Instructions = Asm.IncrementKeyZero(counter.Fd.DangerousGetFd()),
        });
        counter.Pin(mapPath);
        program.Pin(programPath);
        try
        {
            using var reopenedProgram = BpfProgramHandle.FromPinned(programPath);
            using var reopenedMap = BpfMap.FromPinned(mapPath);
            Assert.Equal(program.Id, reopenedProgram.Id);
            Assert.Equal(counter.Id, reopenedMap.Id);
            reopenedProgram.TestRun(new BpfTestRunOptions { DataIn = new byte[20] });
            Assert.Equal(1L, reopenedMap.Lookup<int, long>(0));
        }
        finally
        {
            BpfMap.Unpin(mapPath);
            BpfProgramHandle.Unpin(programPath);
        }
        Assert.False(File.Exists(mapPath));
        var e = Assert.Throws<BpfException>(() => BpfMap.FromPinned(mapPath));
        Assert.Equal("ENOENT", e.ErrnoName);
    }
}
