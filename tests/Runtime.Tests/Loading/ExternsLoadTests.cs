using System;
using System.IO;
using System.Linq;
using System.Text;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Loads externs.bpf.o, attaches it to sys_enter, makes a syscall and checks what every extern
/// resolved to, against /proc/config.gz, /proc/kallsyms and the running kernel.
/// </summary>
[Collection("Kernel")]
public class ExternsLoadTests
{
    private static BpfGlobalData Run(out BpfObject obj, BpfOpenOptions? options = null)
    {
        obj = BpfObject.Open(TestObjects.PathOf("externs"), options);
        obj.Program("read_percpu_ksyms").AutoLoad = false;
        obj.Load();
        var bss = obj.GlobalDataSection(".bss");
        var data = obj.GlobalDataSection(".data");
        Write(obj, "target_tgid", Environment.ProcessId);
        using (obj.Program("read_externs").Attach())
        {
            for (var i = 0; i < 1000 && Read(obj, "runs") == 0; i++)
                System.Threading.Thread.Sleep(1); // nanosleep is a syscall of this process
        }
        return bss;
    }

    private static BpfGlobalData Section(BpfObject obj, string variable)
        => obj.GlobalData.First(d => d.Spec.FindVariable(variable) is not null);

    private static ulong Read(BpfObject obj, string variable)
    {
        var data = Section(obj, variable).Variable(variable);
        return data.Length >= 8 ? BitConverter.ToUInt64(data) : BitConverter.ToUInt32(data);
    }

    private static void Write(BpfObject obj, string variable, int value)
    {
        var section = Section(obj, variable);
        section.Write(section.Spec.FindVariable(variable)!.Offset, value);
    }

    [KernelFact(BpfProgramType.Tracing, nameof(FeatureProbes.BpfCookie))]
    public void KconfigValuesOfEveryTypeComeFromTheKernelConfiguration()
    {
        Run(out var obj);
        using (obj)
        {
            Assert.NotEqual(0ul, Read(obj, "runs"));
            Assert.Equal(ulong.Parse(KernelConfig.Get("CONFIG_HZ")!), Read(obj, "hz"));
            Assert.Equal(KernelRelease.VersionCode, Read(obj, "kernel_version"));
            Assert.Equal(1ul, Read(obj, "config_bpf"));
            Assert.Equal(1ul, Read(obj, "config_bpf_syscall")); // TRI_YES
            var hostname = KernelConfig.Get("CONFIG_DEFAULT_HOSTNAME")!.Trim('"');
            var expected = hostname.Length > 7 ? hostname.Substring(0, 7) : hostname;
            Assert.Equal(expected, Encoding.ASCII.GetString(Section(obj, "hostname").Variable("hostname")).TrimEnd('\0'));
            Assert.Equal(0ul, Read(obj, "missing_config")); // weak and not set
            Assert.Equal(1ul, Read(obj, "has_cookie"));
            Assert.Equal(File.ReadLines("/proc/kallsyms").Any(l => l.EndsWith(" __x64_sys_bpf", StringComparison.Ordinal)) ? 1ul : 0ul,
                Read(obj, "has_wrapper"));
        }
    }

    [KernelFact(BpfProgramType.Tracing)]
    public void GivenKconfigValuesComeBeforeTheKernelsAndTheRestStillFromIt()
    {
        var options = new BpfOpenOptions
        {
            KernelConfig = "# chosen by the test\nCONFIG_HZ=123\n\nCONFIG_DEFAULT_HOSTNAME=\"bpfsk\"\r\nCONFIG_BPFSKELETON_DOES_NOT_EXIST=y\n",
        };
        Run(out var obj, options);
        using (obj)
        {
            Assert.Equal(123ul, Read(obj, "hz"));
            Assert.Equal("bpfsk", Encoding.ASCII.GetString(Section(obj, "hostname").Variable("hostname")).TrimEnd('\0'));
            Assert.Equal(1ul, Read(obj, "missing_config"));
            Assert.Equal(1ul, Read(obj, "config_bpf")); // not given: the running kernel's
            Assert.Equal(KernelRelease.VersionCode, Read(obj, "kernel_version"));
        }
    }

    [KernelFact]
    public void AMalformedKconfigLineFailsTheLoadSayingWhich()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("externs"), new BpfOpenOptions { KernelConfig = "CONFIG_HZ=100\nCONFIG_BPF y" });
        obj.Program("read_percpu_ksyms").AutoLoad = false;
        var error = Assert.Throws<BpfLoadException>(obj.Load);
        Assert.Contains("line 2 ('CONFIG_BPF y')", error.Message);
    }

    [KernelFact(BpfProgramType.Tracing)]
    public void KernelSymbolsResolveByBtfIdOrKallsyms()
    {
        Run(out var obj);
        using (obj)
        {
            var stext = File.ReadLines("/proc/kallsyms").First(l => l.EndsWith(" _stext", StringComparison.Ordinal));
            Assert.Equal(Convert.ToUInt64(stext.Substring(0, stext.IndexOf(' ')), 16), Read(obj, "text_address"));
            Assert.Equal(0ul, Read(obj, "missing_var_address")); // weak typed ksym: NULL
            Assert.Equal(0ul, Read(obj, "missing_sym_address")); // weak typeless ksym: NULL
        }
    }

    [KernelFact(BpfProgramType.Tracing)]
    public void KfuncsAreCalledAndWeakMissingOnesAreDeadCode()
    {
        Run(out var obj);
        using (obj)
        {
            Assert.Equal((ulong)Environment.ProcessId, Read(obj, "acquired_tgid"));
            Assert.Equal(1ul, Read(obj, "task_acquire_exists"));
            Assert.Equal(0ul, Read(obj, "missing_kfunc_exists"));
        }
    }

    [KernelFact]
    public void KfuncCallsCarryTheKernelBtfIdAndTheMissingWeakOneZero()
    {
        // The verifier rewrites kfunc calls to addresses, so check the instructions we hand it.
        using var obj = BpfObject.Open(TestObjects.PathOf("externs"));
        var linked = ProgramLinker.Link(obj.Spec, obj.Program("read_externs").Spec);
        using var state = new LoadedState(obj, new LoadPlan(obj));
        var externs = new ExternResolver(obj, new LiveBackend(obj, state));
        var seen = new System.Collections.Generic.Dictionary<string, int>();
        foreach (var relocation in linked.Relocations)
        {
            if (relocation.Kind != Specs.RelocationKind.ExternFunction) continue;
            externs.PatchCall(linked, relocation.InstructionIndex, relocation.TargetName);
            var call = linked.Instructions[relocation.InstructionIndex];
            Assert.Equal(Specs.BpfOpcodes.PseudoKfuncCall, call.SourceRegister);
            seen[relocation.TargetName] = call.Immediate;
        }
        foreach (var name in new[] { "bpf_task_acquire", "bpf_task_release", "bpf_rcu_read_lock", "bpf_rcu_read_unlock" })
        {
            Assert.True(KernelTypes.Vmlinux.TryFindByName(name, Btf.BtfKind.Func, out var id));
            Assert.Equal(id, seen[name]);
        }
        Assert.Equal(0, seen["bpfskeleton_missing_kfunc"]);
    }

    /// <summary>
    /// Typed per-CPU ksyms go to the kernel as BPF_PSEUDO_BTF_ID of their vmlinux VAR. The kernel
    /// then needs the symbol in kallsyms, which only CONFIG_KALLSYMS_ALL provides for data.
    /// </summary>
    [KernelFact(BpfProgramType.Tracing)]
    public void TypedPerCpuKsymsAreSentAsTheirBtfIds()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("externs"));
        obj.Program("read_externs").AutoLoad = false;
        if (KernelConfig.Get("CONFIG_KALLSYMS_ALL") == "y")
        {
            obj.Load();
            Write(obj, "target_tgid", Environment.ProcessId);
            using (obj.Program("read_percpu_ksyms").Attach())
                for (var i = 0; i < 1000 && Read(obj, "prog_active_seen") == 0; i++)
                    System.Threading.Thread.Sleep(1);
            Assert.Equal(1ul, Read(obj, "runqueue_seen")); // CPU 0's rq->cpu == 0
            Assert.Equal(1ul, Read(obj, "prog_active_seen"));
            return;
        }
        // The kernel looked the VAR up by the BTF id we sent and failed only at its address.
        var error = Assert.Throws<BpfVerifierException>(() => obj.Load());
        Assert.Contains("ldimm64 failed to find the address for kernel symbol 'runqueues'", error.VerifierLog);
    }
}
