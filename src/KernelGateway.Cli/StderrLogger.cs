using Microsoft.Extensions.Logging;

namespace KernelGateway.Cli;

/// <summary>
/// Logs to the process's standard error through its own stream (cells capture <c>Console.Out</c>, so the
/// host never logs through it). Message content is never logged by the kernel, only types and errors.
/// </summary>
internal sealed class StderrLogger(string category, LogLevel minimum) : ILogger
{
    private static readonly TextWriter Writer = CreateWriter();

    private static TextWriter CreateWriter()
    {
        var w = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { AutoFlush = true };
        return TextWriter.Synchronized(w);
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var level = logLevel switch
        {
            LogLevel.Trace => "T", LogLevel.Debug => "D", LogLevel.Information => "I",
            LogLevel.Warning => "W", LogLevel.Error => "E", _ => "C",
        };
        Writer.WriteLine($"[{level} {DateTime.Now:HH:mm:ss.fff} {category}] {formatter(state, exception)}");
    }
}
