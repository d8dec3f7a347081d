namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>
/// The scripted part of the fixture's interpreter: code (compared exactly) → what it answers, every time it runs, or
/// held until the test releases it. Code without a script is answered by the built-in behaviours (see the README):
/// <c>sql</c> statements and <c>spark.sql("...").show()</c> run on DuckDB; anything else is an error saying the
/// fixture has no script for it.
/// </summary>
public sealed class LivyScripts
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LivyReply> _replies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<LivyHeldStatement>> _held = new(StringComparer.Ordinal);

    internal LivyScripts()
    {
    }

    /// <summary>Every statement of this code answers <paramref name="reply"/> at once.</summary>
    public void Reply(string code, LivyReply reply)
    {
        lock (_lock) _replies[code] = reply;
    }

    /// <summary>The next statement of this code runs until the test completes it (or the client cancels it): a long-running statement, released by events.</summary>
    public LivyHeldStatement Hold(string code)
    {
        var held = new LivyHeldStatement(code);
        lock (_lock)
        {
            if (!_held.TryGetValue(code, out var queue)) _held[code] = queue = new Queue<LivyHeldStatement>();
            queue.Enqueue(held);
        }
        return held;
    }

    /// <summary>The held statement or the reply scripted for this code, or null.</summary>
    internal object? Take(string code)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(code, out var queue) && queue.TryDequeue(out var held)) return held;
            return _replies.GetValueOrDefault(code);
        }
    }
}
