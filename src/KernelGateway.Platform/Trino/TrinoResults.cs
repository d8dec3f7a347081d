using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// One QueryResults document, read with a <see cref="Utf8JsonReader"/> in whatever order its fields come. Rows are
/// not decoded here: <c>data</c> is located and its rows counted (a structural scan), and whoever reads the rows
/// decodes them from the same bytes into what they need (CLR values, Arrow columns) — or not at all when only
/// counting.
/// </summary>
internal sealed class TrinoResults
{
    public string? Id { get; private set; }
    public Uri? InfoUri { get; private set; }
    public Uri? NextUri { get; private set; }
    public Uri? PartialCancelUri { get; private set; }
    public IReadOnlyList<TrinoColumn>? Columns { get; private set; }
    public TrinoStats? Stats { get; private set; }
    public TrinoErrorDto? Error { get; private set; }
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    public string? UpdateType { get; private set; }
    public long? UpdateCount { get; private set; }

    /// <summary>Where the <c>data</c> array is in the document (from its <c>[</c> to its <c>]</c>), when there is one.</summary>
    public (int Start, int Length)? Data { get; private set; }

    /// <summary>The rows in <see cref="Data"/>.</summary>
    public int RowCount { get; private set; }

    /// <summary>The rows in one chunk of <see cref="Chunks"/>.</summary>
    public const int ChunkRows = 4096;

    /// <summary>
    /// Where every <see cref="ChunkRows"/>-th row after the first starts: the reader's offset in the document and
    /// state just before it, so decoding can resume there and go through a page a chunk at a time.
    /// </summary>
    public List<(int Offset, JsonReaderState State)> Chunks { get; } = [];

    /// <summary>Reads a document; <paramref name="known"/> are the columns of an earlier page (not parsed again).</summary>
    /// <exception cref="JsonException">Not a QueryResults document.</exception>
    public static TrinoResults Parse(ReadOnlySpan<byte> json, IReadOnlyList<TrinoColumn>? known)
    {
        var results = new TrinoResults();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a query results document must be a JSON object");
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
                    else if (reader.TokenType != JsonTokenType.Null) results.Columns = ReadColumns(ref reader);
                    break;
                case "data":
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("data must be an array of rows");
                    var start = (int)reader.TokenStartIndex;
                    results.RowCount = CountRows(ref reader, results.Chunks);
                    results.Data = (start, (int)reader.BytesConsumed - start);
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
        if (results.Id is null) throw new JsonException("the results have no query id");
        if (results.Data is not null && results.Columns is null) throw new JsonException("the results carry data without columns");
        return results;
    }

    /// <summary>Counts the rows of a data array (the reader on its <c>[</c>, left on its <c>]</c>), checking each is an array.</summary>
    private static int CountRows(ref Utf8JsonReader reader, List<(int Offset, JsonReaderState State)> chunks)
    {
        var count = 0;
        while (true)
        {
            if (count > 0 && count % ChunkRows == 0) chunks.Add(((int)reader.BytesConsumed, reader.CurrentState));
            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray) break;
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"row {count} is not an array");
            reader.Skip();
            count++;
        }
        return count;
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
}
