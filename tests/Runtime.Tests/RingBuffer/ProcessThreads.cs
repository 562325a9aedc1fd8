using System.Collections.Generic;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>This process's threads as the kernel lists them in /proc/self/task: id and name.</summary>
public static class ProcessThreads
{
    /// <summary>The ring buffer waiter's name as the kernel keeps it (15 bytes).</summary>
    public const string WaiterName = "bpf-ringbuf-wai";

    public static Dictionary<int, string> Snapshot()
    {
        var threads = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                threads[int.Parse(Path.GetFileName(directory))] = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                // The thread exited between listing and reading.
            }
        }
        return threads;
    }

    /// <summary>Ids of the threads named <paramref name="name"/> now running.</summary>
    public static List<int> Named(string name)
    {
        var ids = new List<int>();
        foreach (var (id, threadName) in Snapshot())
        {
            if (threadName == name)
                ids.Add(id);
        }
        return ids;
    }
}
