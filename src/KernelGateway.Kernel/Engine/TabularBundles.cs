using System.Text.Json.Nodes;
using KernelGateway.Formatting.Tabular;

namespace KernelGateway.Kernel.Engine;

/// <summary>A tabular result as a Jupyter MIME bundle: text/plain, text/html and application/vnd.dataresource+json (and text/csv if asked).</summary>
public static class TabularBundles
{
    /// <summary>The bundle of a table.</summary>
    public static MimeBundle From(TabularResult table, TabularLimits? limits = null)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in TabularRenderer.Render(table, limits))
        {
            data[mime] = value switch
            {
                // Written into the message as the renderer wrote it: never parsed, never written again token by token.
                byte[] json => KernelGateway.Protocol.RawJson.Node(json),
                string text => text,
                _ => value.ToString(),
            };
        }
        return new MimeBundle(data, new JsonObject());
    }
}
