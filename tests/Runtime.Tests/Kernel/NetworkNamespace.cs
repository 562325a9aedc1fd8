using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// A named network namespace (ip netns) for one test, with loopback up; deleted on dispose.
/// Network namespaces are per thread, so code runs inside it on a dedicated thread.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    /// <summary>Creates the namespace bpfsk{pid}{tag}.</summary>
    public static NetworkNamespace Create(string tag)
    {
        var ns = new NetworkNamespace($"bpfsk{Environment.ProcessId}{tag}");
        BpfFs.Run("ip", $"netns add {ns.Name}");
        try
        {
            ns.Ip("link set lo up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Runs `ip -n NAME arguments`.</summary>
    public void Ip(string arguments) => BpfFs.Run("ip", $"-n {Name} {arguments}");

    public void Run(Action work) => Run(() =>
    {
        work();
        return 0;
    });

    /// <summary>Runs <paramref name="work"/> on a new thread inside the namespace; its exception is rethrown here as is.</summary>
    public T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle(Path))
                {
                    if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                        throw new IOException($"setns {Path} failed: {Marshal.GetLastPInvokeError()}");
                }
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public void Dispose() => BpfFs.Run("ip", $"netns del {Name}");

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}
