using KernelGateway.Kernel.Comms;
using KernelGateway.Kernel.Routing;

namespace KernelGateway.Kernel.Hosting;

/// <summary>
/// What cells can reach of the kernel they run in. Preloaded in every cell with
/// <c>using static KernelGateway.Kernel.Hosting.KernelServices;</c>, so a cell can write <c>ClearOutput()</c>,
/// <c>Comms.RegisterTarget(...)</c> or <c>Input("name?")</c>.
/// </summary>
public static class KernelServices
{
    private static KernelRouter? _router;

    /// <summary>Set once by the kernel process.</summary>
    internal static void Attach(KernelRouter router) => _router = router;

    private static KernelRouter Router => _router ?? throw new InvalidOperationException("not running inside a KernelGateway kernel");

    /// <summary>The kernel's comms: register targets, open comms to the frontend.</summary>
    public static CommManager Comms => Router.Comms;

    /// <summary>Clears the output of the running cell (clear_output); with <paramref name="wait"/>, when the next output arrives.</summary>
    public static void ClearOutput(bool wait = false) => CurrentSink?.ClearOutput(wait);

    /// <summary>Asks the frontend for a line of input (input_request).</summary>
    public static string Input(string prompt = "") => ConsoleBridge.ReadLine(prompt) ?? "";

    /// <summary>Asks the frontend for a password (input_request with password=true).</summary>
    public static string Password(string prompt = "") => ConsoleBridge.ReadLine(prompt, password: true) ?? "";

    /// <summary>The sink of the running cell, if any.</summary>
    internal static Engine.IExecutionSink? CurrentSink => ConsoleBridge.ContextSink ?? _router?.CurrentSink;

    /// <summary>Shows a value (display_data) and returns a handle whose <c>Update</c> replaces it in place.</summary>
    /// <param name="value">The value; formatted like a cell result.</param>
    /// <param name="mimeTypes">MIME types to format it as (default: text/plain, plus text/html for rich values).</param>
    public static DisplayHandle display(object? value, params string[] mimeTypes)
    {
        var sink = CurrentSink ?? throw new InvalidOperationException("display() works while a cell runs");
        var handle = new DisplayHandle(sink, mimeTypes);
        handle.Show(value, update: false);
        return handle;
    }

    /// <summary>
    /// Records a value under a name in the output notebook, as scrapbook's <c>glue</c> does, for
    /// <c>kernelgateway summarize</c> and scrapbook's readers: JSON values as they are, tables as their Table Schema
    /// data resource (pandas reads it with <c>read_json(..., orient="table")</c>).
    /// </summary>
    /// <param name="name">The scrap's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="display">Also show the value, as a cell result would be shown.</param>
    /// <exception cref="ArgumentException">No name, or a value that cannot be written as JSON.</exception>
    public static void Glue(string name, object? value, bool display = false) =>
        Scraps.Glue(CurrentSink ?? throw new InvalidOperationException("Glue() works while a cell runs"), name, value, display);

    /// <summary>Marks a string as HTML, for <c>display(HTML("&lt;b&gt;x&lt;/b&gt;"))</c> or as a cell's value.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent HTML(string html) => new Microsoft.AspNetCore.Html.HtmlString(html);

    /// <summary>
    /// The running cell's cancellation token: cancelled when the frontend interrupts. Long-running code
    /// should pass it to awaited calls or check it, so that an interrupt stops it.
    /// </summary>
    public static CancellationToken CellToken => ConsoleBridge.CurrentToken;

    /// <summary>The kernel's session id.</summary>
    public static string KernelSession => Router.Session;
}
