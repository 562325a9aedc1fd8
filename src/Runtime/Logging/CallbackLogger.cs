using System;
using Microsoft.Extensions.Logging;

namespace BpfSkeleton.Logging
{
    /// <summary>An <see cref="ILogger"/> that formats each enabled line and hands it to a delegate (<see cref="BpfLogging.ToCallback"/>).</summary>
    internal sealed class CallbackLogger(Action<LogLevel, string> print, LogLevel minimumLevel) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = formatter(state, exception);
            print(logLevel, exception is null ? line : $"{line}: {exception.Message}");
        }
    }
}
