namespace KernelGateway.Platform.Spark.Livy;

/// <summary>The MIME types of statement outputs (Livy's <c>repl/package.scala</c>).</summary>
public static class LivyMimeTypes
{
    /// <summary>Printed text and the last value.</summary>
    public const string Text = "text/plain";

    /// <summary>A JSON value (<c>%json</c>), or the table of a <c>sql</c> statement.</summary>
    public const string Json = "application/json";

    /// <summary>A PNG image, base64 (<c>%matplot</c>).</summary>
    public const string Png = "image/png";

    /// <summary>Livy's table (<c>%table</c>): <c>{headers: [{name, type}], data: [[...]]}</c>.</summary>
    public const string Table = "application/vnd.livy.table.v1+json";
}
