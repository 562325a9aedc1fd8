namespace BpfSkeleton.Examples;

public static class Privileges
{
    /// <summary>Loading BPF needs root (or CAP_BPF and friends); say so up front instead of failing with EPERM.</summary>
    public static void RequireRoot()
    {
        if (Environment.IsPrivilegedProcess) return;
        Console.Error.WriteLine("error: run as root (loading BPF programs needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)");
        Environment.Exit(1);
    }
}
