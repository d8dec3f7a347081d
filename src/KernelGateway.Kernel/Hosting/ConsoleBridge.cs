using System.Text;
using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Hosting;

/// <summary>
/// Makes <c>Console.ReadLine()</c> (and <c>Console.Read()</c>) inside a cell become input_request to the
/// frontend. Installed once as <see cref="Console.In"/>; the running cell's sink is set around each run.
/// Outside a cell the reader is at end of input. The cell is found from the execution context first (so a task or
/// thread a cell started, or a cell abandoned after an interrupt, writes to its own cell), then the running cell.
/// </summary>
public static class ConsoleBridge
{
    private static readonly Lock Gate = new();
    private static readonly AsyncLocal<Frame?> Context = new();
    private static IExecutionSink? _sink;
    private static CancellationToken _token;
    private static bool _installed;

    private sealed record Frame(IExecutionSink Sink, CancellationToken Token);

    /// <summary>Routes console input to <paramref name="sink"/> until the returned handle is disposed.</summary>
    public static IDisposable Enter(IExecutionSink sink, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (!_installed)
            {
                Console.SetIn(TextReader.Synchronized(new InputReader()));
                _installed = true;
            }
            _sink = sink;
            _token = cancellationToken;
        }
        Context.Value = new Frame(sink, cancellationToken);
        return new Exit(sink);
    }

    /// <summary>The running cell's cancellation token (none outside a cell).</summary>
    public static CancellationToken CurrentToken
    {
        get
        {
            if (Context.Value is { } frame) return frame.Token;
            lock (Gate) return _sink is null ? CancellationToken.None : _token;
        }
    }

    /// <summary>Asks the frontend of the running cell for a line; null outside a cell.</summary>
    public static string? ReadLine(string prompt = "", bool password = false)
    {
        IExecutionSink? sink;
        CancellationToken token;
        if (Context.Value is { } frame) (sink, token) = (frame.Sink, frame.Token);
        else
        {
            lock (Gate)
            {
                sink = _sink;
                token = _token;
            }
        }
        return sink?.InputAsync(prompt, password, token).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Stands in for <c>Console.ReadKey</c> in cells: asks for a line and returns its first character
    /// (Enter for an empty answer).
    /// </summary>
    public static ConsoleKeyInfo ReadKey(bool intercept = false)
    {
        _ = intercept;
        var line = ReadLine("") ?? "";
        if (line.Length == 0) return new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false);
        var c = line[0];
        var key = char.IsAsciiLetter(c) ? (ConsoleKey)char.ToUpperInvariant(c)
            : char.IsAsciiDigit(c) ? ConsoleKey.D0 + (c - '0')
            : c == ' ' ? ConsoleKey.Spacebar : ConsoleKey.NoName;
        return new ConsoleKeyInfo(c, key, char.IsUpper(c), false, false);
    }

    /// <summary>A writer for <see cref="Console.Out"/> that sends to the running cell's stdout (batched by its sink).</summary>
    public static TextWriter StandardOutput { get; } = TextWriter.Synchronized(new SinkWriter("stdout"));

    /// <summary>A writer for <see cref="Console.Error"/> that sends to the running cell's stderr.</summary>
    public static TextWriter StandardError { get; } = TextWriter.Synchronized(new SinkWriter("stderr"));

    /// <summary>The sink of the cell whose execution context the caller runs in, if any.</summary>
    internal static IExecutionSink? ContextSink => Context.Value?.Sink;

    private static IExecutionSink? CurrentSink
    {
        get
        {
            if (Context.Value is { } frame) return frame.Sink;
            lock (Gate) return _sink;
        }
    }

    /// <summary>
    /// Writes to the current cell's stream; outside a cell, to the process's own stream (never stdout of the
    /// kernel protocol: a kernel has none, so it is the terminal or the launcher's log).
    /// </summary>
    private sealed class SinkWriter(string name) : TextWriter
    {
        private readonly TextWriter _fallback = name == "stdout"
            ? new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }
            : new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };

        public override Encoding Encoding => Encoding.UTF8;

        private void Send(string text)
        {
            if (CurrentSink is { } sink) sink.Stream(name, text);
            else _fallback.Write(text);
        }

        public override void Write(char value) => Send(value.ToString());
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) Send(value); }
        public override void Write(char[] buffer, int index, int count) => Send(new string(buffer, index, count));
        public override void WriteLine(string? value) => Send((value ?? "") + "\n");
        public override void WriteLine() => Send("\n");
    }

    private sealed class Exit(IExecutionSink sink) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                if (ReferenceEquals(_sink, sink)) _sink = null;
            }
        }
    }

    private sealed class InputReader : TextReader
    {
        private readonly StringBuilder _pending = new();

        public override string? ReadLine()
        {
            if (_pending.Length > 0)
            {
                var rest = _pending.ToString();
                _pending.Clear();
                var nl = rest.IndexOf('\n');
                if (nl < 0) return rest;
                _pending.Append(rest, nl + 1, rest.Length - nl - 1);
                return rest[..nl];
            }
            return ConsoleBridge.ReadLine();
        }

        public override int Read()
        {
            if (_pending.Length == 0)
            {
                var line = ConsoleBridge.ReadLine();
                if (line is null) return -1;
                _pending.Append(line).Append('\n');
            }
            var c = _pending[0];
            _pending.Remove(0, 1);
            return c;
        }

        public override int Peek() => _pending.Length > 0 ? _pending[0] : -1;
    }
}
