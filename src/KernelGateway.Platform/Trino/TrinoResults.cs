using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// One QueryResults document, read with a <see cref="Utf8JsonReader"/>: rows are decoded straight from the bytes by
/// each column's type, in whatever order the fields come (data before columns is decoded once columns are known).
/// </summary>
internal sealed class TrinoResults
{
    public string? Id { get; private set; }
    public Uri? InfoUri { get; private set; }
    public Uri? NextUri { get; private set; }
    public Uri? PartialCancelUri { get; private set; }
    public IReadOnlyList<TrinoColumn>? Columns { get; private set; }
    public List<object?[]>? Rows { get; private set; }
    public TrinoStats? Stats { get; private set; }
    public TrinoErrorDto? Error { get; private set; }
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    public string? UpdateType { get; private set; }
    public long? UpdateCount { get; private set; }

    /// <summary>Reads a document; <paramref name="known"/> are the columns of an earlier page (not parsed again).</summary>
    /// <exception cref="JsonException">Not a QueryResults document, or a value its column's type cannot read.</exception>
    public static TrinoResults Parse(ReadOnlySpan<byte> json, IReadOnlyList<TrinoColumn>? known)
    {
        var results = new TrinoResults();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a query results document must be a JSON object");
        (int Start, int End)? deferredData = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id": results.Id = reader.GetString(); break;
                case "infoUri": results.InfoUri = Url(ref reader); break;
                case "nextUri": results.NextUri = Url(ref reader); break;
                case "partialCancelUri": results.PartialCancelUri = Url(ref reader); break;
                case "updateType": results.UpdateType = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "updateCount": results.UpdateCount = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64(); break;
                case "columns":
                    if (known is not null && reader.TokenType == JsonTokenType.StartArray) { results.Columns = known; reader.Skip(); }
                    else results.Columns = ReadColumns(ref reader);
                    break;
                case "data":
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (results.Columns is null)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        deferredData = (start, (int)reader.BytesConsumed);
                    }
                    else results.Rows = ReadRows(ref reader, results.Columns);
                    break;
                case "stats": results.Stats = JsonSerializer.Deserialize(ref reader, TrinoJsonContext.Default.TrinoStats); break;
                case "error": results.Error = reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize(ref reader, TrinoJsonContext.Default.TrinoErrorDto); break;
                case "warnings":
                    var warnings = reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize(ref reader, TrinoJsonContext.Default.ListTrinoWarningDto);
                    results.Warnings = warnings?.Select(w => w.Message ?? "").Where(m => m.Length > 0).ToList() ?? [];
                    break;
                default: reader.Skip(); break;
            }
        }
        if (deferredData is { } data)
        {
            if (results.Columns is null) throw new JsonException("the results carry data without columns");
            var dataReader = new Utf8JsonReader(json[data.Start..data.End], new JsonReaderOptions { MaxDepth = 256 });
            dataReader.Read();
            results.Rows = ReadRows(ref dataReader, results.Columns);
        }
        if (results.Id is null) throw new JsonException("the results have no query id");
        return results;
    }

    private static Uri? Url(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null
        : Uri.TryCreate(reader.GetString(), UriKind.Absolute, out var uri) ? uri
        : throw new JsonException($"not an absolute URI: {reader.GetString()}");

    private static List<TrinoColumn> ReadColumns(ref Utf8JsonReader reader)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.EnumerateArray().Select(TrinoColumn.Parse).ToList();
    }

    private static List<object?[]> ReadRows(ref Utf8JsonReader reader, IReadOnlyList<TrinoColumn> columns)
    {
        var rows = new List<object?[]>();
        new TrinoRowDecoder(columns).ReadRows(ref reader, rows);
        return rows;
    }
}
