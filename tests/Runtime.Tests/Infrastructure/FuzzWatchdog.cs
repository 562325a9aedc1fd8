using System;
using System.Threading.Tasks;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>Runs a bounded fuzz loop where a hang is a finding too.</summary>
public static class FuzzWatchdog
{
    /// <summary>
    /// Runs <paramref name="fuzz"/> on the thread pool; if it outlives its budget by a minute the test fails naming
    /// the input it is stuck on (<paramref name="current"/>): the stuck thread itself cannot be stopped.
    /// </summary>
    public static async Task Run(Action fuzz, Func<string> current, TimeSpan budget, string doing)
    {
        var run = Task.Run(fuzz);
        Assert.True(await Task.WhenAny(run, Task.Delay(budget + TimeSpan.FromSeconds(60))) == run, $"{doing} hung on {current()}");
        await run;
    }
}
