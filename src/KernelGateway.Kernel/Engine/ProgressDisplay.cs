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
/// A display that tells how a long operation is going and changes in place (<c>update_display_data</c>). It asks
/// its source for the current view on a timer: it appears only if the operation is still running after
/// <c>showAfter</c> (fast operations show no progress at all), then refreshes every interval when the view has
/// changed (elapsed time moves, so a long wait still shows life), and ends with <see cref="Finish"/>: a last view
/// that stays as the record of what ran. Frontends that ignore updates (the console) show the first view only, so
/// nothing essential is only in updates.
/// </summary>
public sealed class ProgressDisplay : IDisposable
{
    private readonly IExecutionSink _sink;
    private readonly Func<ProgressView> _source;
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private string? _lastText;
    private bool _done;

    /// <summary>A display of <paramref name="source"/>'s views on a cell's sink; nothing is shown before <paramref name="showAfter"/>.</summary>
    /// <param name="sink">The running cell's outputs.</param>
    /// <param name="source">The current view; called on a timer thread, so it must be thread-safe and cheap.</param>
    /// <param name="showAfter">How long an operation runs before its progress appears; 0.5 s by default.</param>
    /// <param name="interval">How often the view is refreshed; 0.25 s by default.</param>
    public ProgressDisplay(IExecutionSink sink, Func<ProgressView> source, TimeSpan? showAfter = null, TimeSpan? interval = null)
    {
        _sink = sink;
        _source = source;
        _timer = new Timer(_ => Tick(), null, showAfter ?? TimeSpan.FromMilliseconds(500), interval ?? TimeSpan.FromMilliseconds(250));
    }

    /// <summary>The display id (<c>transient.display_id</c>) of this display.</summary>
    public string DisplayId { get; } = "progress-" + Guid.NewGuid().ToString("N");

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
            if (_lastText is not null) SendLocked(final);
        }
    }

    /// <summary>Stops refreshing; what was shown stays.</summary>
    public void Dispose()
    {
        lock (_lock) _done = true;
        _timer.Dispose();
    }

    private void Tick()
    {
        lock (_lock)
        {
            if (_done) return;
            ProgressView view;
            try { view = _source(); }
            catch (Exception) { return; } // a failing source never stops the work it reports on
            SendLocked(view);
        }
    }

    private void SendLocked(ProgressView view)
    {
        var bundle = Render(view);
        var text = bundle.Data["text/plain"]!.GetValue<string>();
        if (text == _lastText) return;
        var update = _lastText is not null;
        _lastText = text;
        try { _sink.Display(bundle, DisplayId, update); }
        catch (Exception) { } // a display that cannot be sent never stops the work it reports on
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
