using System.Text.Json;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A successful statement's output, sorted for display: its text, JSON, PNG image and table. A Jupyter display shows
/// <see cref="Table"/> as a table when there is one, else the image, the JSON and the text; <see cref="Data"/> keeps
/// the whole bundle as sent.
/// </summary>
public sealed record LivyStatementResult
{
    /// <summary>The statement, when the result came from <see cref="LivyClient.RunStatementAsync"/>.</summary>
    public LivyStatement? Statement { get; init; }

    /// <summary>The execution count.</summary>
    public int ExecutionCount { get; init; }

    /// <summary><c>text/plain</c>: what the code printed, and the value of its last expression.</summary>
    public string? Text { get; init; }

    /// <summary><c>application/json</c> (a <c>%json</c> magic), when it is not the table of a <c>sql</c> statement.</summary>
    public JsonElement? Json { get; init; }

    /// <summary><c>image/png</c> (a <c>%matplot</c> magic), base64 as sent: what Jupyter's <c>image/png</c> wants.</summary>
    public string? PngBase64 { get; init; }

    /// <summary>A table: <c>application/vnd.livy.table.v1+json</c>, or the <c>{schema, data}</c> of a <c>sql</c> statement.</summary>
    public LivyTable? Table { get; init; }

    /// <summary>Every MIME type of the output, values as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> Data { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Sorts an output.</summary>
    /// <param name="output">The statement's output.</param>
    /// <param name="sessionId">The session, for the exception's message.</param>
    /// <param name="statementId">The statement, for the exception's message.</param>
    /// <exception cref="LivyStatementException">The output is an error.</exception>
    /// <exception cref="FormatException">A table's JSON is not one Livy writes.</exception>
    public static LivyStatementResult From(LivyStatementOutput output, int sessionId = -1, int statementId = -1)
    {
        if (output.IsError)
            throw new LivyStatementException(sessionId, statementId < 0 ? output.ExecutionCount : statementId, output.EName ?? "Error", output.EValue ?? "", output.Traceback ?? []);
        var data = output.Data ?? new Dictionary<string, JsonElement>();
        var json = data.TryGetValue(LivyMimeTypes.Json, out var j) ? j : (JsonElement?)null;
        var table = data.TryGetValue(LivyMimeTypes.Table, out var t) ? LivyTableReader.ReadLivyTable(t)
            : json is { } candidate && LivyTableReader.IsSqlResult(candidate) ? LivyTableReader.ReadSqlResult(candidate) : null;
        return new LivyStatementResult
        {
            ExecutionCount = output.ExecutionCount,
            Text = data.TryGetValue(LivyMimeTypes.Text, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null,
            Json = table is not null && !data.ContainsKey(LivyMimeTypes.Table) ? null : json,
            PngBase64 = data.TryGetValue(LivyMimeTypes.Png, out var png) && png.ValueKind == JsonValueKind.String ? png.GetString() : null,
            Table = table,
            Data = data,
        };
    }
}
