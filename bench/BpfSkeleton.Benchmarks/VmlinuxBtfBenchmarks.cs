using System.IO;
using BenchmarkDotNet.Attributes;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// The kernel BTF work on every load's path: parse /sys/kernel/btf/vmlinux, then the lookups a
/// struct_ops registration and CO-RE relocation do. bench/reference/btf_parse.c does the same with libbpf.
/// </summary>
[MemoryDiagnoser]
public class VmlinuxBtfBenchmarks
{
    /// <summary>Structs CO-RE programs commonly relocate against (same list as the C reference).</summary>
    public static readonly string[] CommonStructs =
    {
        "task_struct", "sk_buff", "sock", "tcp_sock", "inet_sock", "file", "inode", "dentry", "mm_struct",
        "cred", "net_device", "pt_regs", "xdp_md", "bpf_map", "bpf_prog", "cgroup", "css_set", "nsproxy",
        "pid_namespace", "socket",
    };

    private byte[] _vmlinux = null!;

    [GlobalSetup]
    public void ReadOnce() => _vmlinux = File.ReadAllBytes("/sys/kernel/btf/vmlinux");

    [Benchmark(Baseline = true)]
    public int Parse() => BtfSpec.Parse(_vmlinux, "vmlinux").TypeCount;

    [Benchmark]
    public long ParseAndStructOpsLookups()
    {
        var btf = BtfSpec.Parse(_vmlinux, "vmlinux");
        return StructOpsLookups(btf);
    }

    [Benchmark]
    public long ParseStructOpsAndCoreLookups()
    {
        var btf = BtfSpec.Parse(_vmlinux, "vmlinux");
        long total = StructOpsLookups(btf);
        foreach (var name in CommonStructs)
        {
            if (btf.TryFindByName(name, BtfKind.Struct, out int id))
                total += btf.GetType(id).Size;
        }
        return total;
    }

    /// <summary>What registering a tcp_congestion_ops struct_ops map needs from the kernel BTF.</summary>
    internal static long StructOpsLookups(BtfSpec btf)
    {
        long total = 0;
        if (!btf.TryFindByName("bpf_struct_ops_tcp_congestion_ops", BtfKind.Struct, out int wrapper))
            throw new InvalidDataException("no bpf_struct_ops_tcp_congestion_ops");
        if (!btf.TryFindByName("tcp_congestion_ops", BtfKind.Struct, out int ops))
            throw new InvalidDataException("no tcp_congestion_ops");
        total += btf.GetType(wrapper).Size;
        foreach (var member in btf.GetType(ops).Members)
        {
            int type = btf.SkipModifiersAndTypedefs(member.TypeId);
            total += btf.ResolveSize(type) + member.BitOffset + member.Name.Length;
        }
        return total;
    }
}
