using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelGateway.Kernel.Engine;

/// <summary>What a progress display shows: a title, a state, how far (when known), a few details and a link.</summary>
public sealed record ProgressView
{
    /// <summary>What is running, e.g. <c>Trino query 20261202_060412_00001_abcde</c>.</summary>
    public required string Title { get; init; }

    /// <summary>The state, e.g. <c>RUNNING</c>.</summary>
    public required string State { get; init; }

    /// <summary>How far, in [0, 1], when known.</summary>
    public double? Fraction { get; init; }

    /// <summary>Short labelled values: <c>("splits", "9/20")</c>, <c>("rows", "1.2M")</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    /// <summary>Where to see more (the engine's UI), when there is such a place.</summary>
    public Uri? Link { get; init; }

    /// <summary>The text of <see cref="Link"/>; <c>details</c> by default.</summary>
    public string LinkText { get; init; } = "details";
}

/// <summary>
/// A display that tells how a long operation is going and changes in place (<c>update_display_data</c>). It appears
/// only if the operation is still running after <c>showAfter</c> (fast operations show no progress at all), sends at
/// most one update per interval (the latest view wins), and ends with <see cref="Finish"/>: a last line that stays
/// as the record of what ran. Thread-safe; reports may come from any thread. Frontends that ignore updates (the
/// console) show the first view only, so nothing essential is only in updates.
/// </summary>
public sealed class ProgressDisplay : IDisposable
{
    private readonly IExecutionSink _sink;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly long _started;
    private readonly TimeProvider _time;
    private ProgressView? _pending;
    private bool _shown;
    private bool _done;
    private long _lastSent;

    /// <summary>A display on a cell's sink; nothing is shown until the first <see cref="Report"/> after <paramref name="showAfter"/>.</summary>
    /// <param name="sink">The running cell's outputs.</param>
    /// <param name="showAfter">How long an operation runs before its progress appears; 0.5 s by default.</param>
    /// <param name="interval">The least time between two updates; 0.25 s by default.</param>
    /// <param name="time">The clock; the system's by default.</param>
    public ProgressDisplay(IExecutionSink sink, TimeSpan? showAfter = null, TimeSpan? interval = null, TimeProvider? time = null)
    {
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _interval = interval ?? TimeSpan.FromMilliseconds(250);
        _started = _time.GetTimestamp();
        _lastSent = _started;
        _timer = new Timer(_ => Flush(), null, Timeout.Infinite, Timeout.Infinite);
        var delay = showAfter ?? TimeSpan.FromMilliseconds(500);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        _showAfter = delay;
    }

    private readonly TimeSpan _showAfter;

    /// <summary>The display id (<c>transient.display_id</c>) of this display.</summary>
    public string DisplayId { get; } = "progress-" + Guid.NewGuid().ToString("N");

    /// <summary>Whether the display has appeared.</summary>
    public bool Shown { get { lock (_lock) return _shown; } }

    /// <summary>Reports the latest view; it is sent now or at the next slot.</summary>
    public void Report(ProgressView view)
    {
        lock (_lock)
        {
            if (_done) return;
            _pending = view;
            var now = _time.GetTimestamp();
            var due = _shown ? _time.GetElapsedTime(_lastSent, now) >= _interval : _time.GetElapsedTime(_started, now) >= _showAfter;
            if (due) SendLocked();
        }
    }

    /// <summary>
    /// Ends the display: if it appeared, it shows <paramref name="final"/> (the summary of what ran) and stays;
    /// if it never appeared, nothing is sent. No update follows.
    /// </summary>
    public void Finish(ProgressView final)
    {
        lock (_lock)
        {
            if (_done) return;
            _done = true;
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            if (!_shown) return;
            _pending = final;
            SendLocked();
        }
    }

    /// <summary>Stops updates; what was shown stays.</summary>
    public void Dispose()
    {
        lock (_lock) _done = true;
        _timer.Dispose();
    }

    private void Flush()
    {
        lock (_lock)
        {
            if (_done || _pending is null) return;
            SendLocked();
        }
    }

    private void SendLocked()
    {
        var view = _pending!;
        _pending = null;
        var update = _shown;
        _shown = true;
        _lastSent = _time.GetTimestamp();
        try { _sink.Display(Render(view), DisplayId, update); }
        catch (Exception) { } // a display that cannot be sent never stops the work it reports on
        // Whatever arrives before the next slot goes out at that slot.
        if (!_done) _timer.Change(_interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The bundle of a view: one line of text/plain, and text/html with a bar.</summary>
    public static MimeBundle Render(ProgressView view)
    {
        var details = string.Join(" · ", view.Details.Select(d => $"{d.Key} {d.Value}"));
        var percent = view.Fraction is { } f ? (f * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : null;
        var plain = new StringBuilder().Append(view.Title).Append(' ').Append(view.State);
        if (view.Fraction is { } fraction) plain.Append(" [").Append(new string('=', (int)(fraction * 20))).Append(new string(' ', 20 - (int)(fraction * 20))).Append("] ").Append(percent);
        if (details.Length > 0) plain.Append(" · ").Append(details);
        if (view.Link is { } link) plain.Append(" · ").Append(link);

        var html = new StringBuilder("<div class=\"kg-progress\" style=\"font-family:monospace;font-size:12px\">");
        html.Append("<b>").Append(WebUtility.HtmlEncode(view.Title)).Append("</b> <span>").Append(WebUtility.HtmlEncode(view.State)).Append("</span>");
        if (view.Fraction is { } width)
        {
            html.Append("<div style=\"display:inline-block;width:160px;height:8px;margin:0 6px;background:#ddd;vertical-align:middle\">")
                .Append("<div style=\"height:8px;background:#4a90d9;width:").Append((width * 100).ToString("0.#", CultureInfo.InvariantCulture)).Append("%\"></div></div>")
                .Append(percent);
        }
        if (details.Length > 0) html.Append(" · ").Append(WebUtility.HtmlEncode(details));
        if (view.Link is { } url)
            html.Append(" · <a href=\"").Append(WebUtility.HtmlEncode(url.ToString())).Append("\" target=\"_blank\" rel=\"noopener noreferrer\">").Append(WebUtility.HtmlEncode(view.LinkText)).Append("</a>");
        html.Append("</div>");
        return new MimeBundle(new JsonObject { ["text/plain"] = plain.ToString(), ["text/html"] = html.ToString() }, new JsonObject());
    }
}
