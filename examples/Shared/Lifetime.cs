using System.Runtime.InteropServices;

namespace BpfSkeleton.Examples;

/// <summary>
/// When an example stops: on Ctrl+C, on SIGTERM, or after its <c>--duration</c>. The token lets
/// the example leave its loop and dispose the skeleton, which detaches everything it attached.
/// </summary>
public sealed class Lifetime : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public Lifetime(TimeSpan? duration)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        if (duration is { } limit) _stop.CancelAfter(limit);
    }

    public CancellationToken Token => _stop.Token;

    public bool IsStopping => _stop.IsCancellationRequested;

    /// <summary>Sleeps up to <paramref name="interval"/>; false once the example should stop.</summary>
    public bool Wait(TimeSpan interval) => !Token.WaitHandle.WaitOne(interval);

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // keep running until the skeleton is disposed
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        // _stop is not disposed: a signal's handler runs on a thread-pool thread and may still be running
        // (Cancel on a disposed source throws) while the example ends.
    }
}
