using System.Buffers;
using System.Text.Json;
using KernelGateway.Tests.Fixtures.Trino.Engine;
using KernelGateway.Tests.Fixtures.Trino.Types;

namespace KernelGateway.Tests.Fixtures.Trino.Protocol;

/// <summary>The parts of one QueryResults document (QueryResults.java): everything but <c>id</c> and <c>infoUri</c>, which the query knows.</summary>
internal sealed record QueryResultsContent(string State, string? NextUri, string? PartialCancelUri, IReadOnlyList<OutputColumn>? Columns,
    ResultPage? Page, TrinoError? Error, string? UpdateType, long? UpdateCount, QueryStats Stats);

/// <summary>Counters for <c>stats</c> (StatementStats.java).</summary>
internal sealed record QueryStats(long Rows, long Bytes, long Pages, long ElapsedMillis, long QueuedMillis, bool Running, double? Progress);

/// <summary>Writes QueryResults JSON; <c>data</c> is the page's pre-rendered JSON, copied in as is.</summary>
internal static class QueryResultsWriter
{
    public static byte[] Write(string id, string infoUri, QueryResultsContent c, bool presto)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (c.Page?.Data.Length ?? 0));
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("infoUri", infoUri);
            if (c.PartialCancelUri is not null) w.WriteString("partialCancelUri", c.PartialCancelUri);
            if (c.NextUri is not null) w.WriteString("nextUri", c.NextUri);
            if (c.Columns is not null) WriteColumns(w, c.Columns, presto);
            if (c.Page is not null)
            {
                w.WritePropertyName("data");
                w.WriteRawValue(c.Page.Data, skipInputValidation: true);
            }
            WriteStats(w, c.State, c.Stats);
            if (c.Error is not null) WriteError(w, c.Error);
            w.WriteStartArray("warnings");
            w.WriteEndArray();
            if (c.UpdateType is not null) w.WriteString("updateType", c.UpdateType);
            if (c.UpdateCount is { } n) w.WriteNumber("updateCount", n);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteColumns(Utf8JsonWriter w, IReadOnlyList<OutputColumn> columns, bool presto)
    {
        w.WriteStartArray("columns");
        foreach (var col in columns)
        {
            w.WriteStartObject();
            w.WriteString("name", col.Name);
            w.WriteString("type", col.Type.ToString());
            w.WritePropertyName("typeSignature");
            TypeSignatureWriter.Write(w, col.Type, presto);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteStats(Utf8JsonWriter w, string state, QueryStats s)
    {
        w.WriteStartObject("stats");
        w.WriteString("state", state);
        w.WriteBoolean("queued", state == "QUEUED");
        w.WriteBoolean("scheduled", state is not ("QUEUED" or "PLANNING"));
        w.WriteNumber("nodes", state == "QUEUED" ? 0 : 1);
        var running = s.Running ? 1 : 0;
        w.WriteNumber("totalSplits", s.Pages + 2L * running);
        w.WriteNumber("queuedSplits", running);
        w.WriteNumber("runningSplits", running);
        w.WriteNumber("completedSplits", s.Pages);
        w.WriteNumber("cpuTimeMillis", Math.Max(0, s.ElapsedMillis - s.QueuedMillis) / 2);
        w.WriteNumber("wallTimeMillis", Math.Max(0, s.ElapsedMillis - s.QueuedMillis));
        w.WriteNumber("queuedTimeMillis", s.QueuedMillis);
        w.WriteNumber("elapsedTimeMillis", s.ElapsedMillis);
        w.WriteNumber("processedRows", s.Rows);
        w.WriteNumber("processedBytes", s.Bytes);
        w.WriteNumber("physicalInputBytes", s.Bytes);
        w.WriteNumber("peakMemoryBytes", s.Pages == 0 ? 0 : Math.Max(1, s.Bytes / Math.Max(1, s.Pages)));
        w.WriteNumber("spilledBytes", 0);
        if (s.Progress is { } p) w.WriteNumber("progressPercentage", p);
        w.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter w, TrinoError e)
    {
        w.WriteStartObject("error");
        w.WriteString("message", e.Message);
        w.WriteNumber("errorCode", e.Code);
        w.WriteString("errorName", e.Name);
        w.WriteString("errorType", e.Type);
        WriteLocation(w, e);
        w.WriteStartObject("failureInfo");
        w.WriteString("type", e.ExceptionType);
        w.WriteString("message", e.Message);
        w.WriteStartArray("suppressed");
        w.WriteEndArray();
        w.WriteStartArray("stack");
        w.WriteEndArray();
        WriteLocation(w, e);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter w, TrinoError e)
    {
        if (e.Line is not { } line || e.Column is not { } column) return;
        w.WriteStartObject("errorLocation");
        w.WriteNumber("lineNumber", line);
        w.WriteNumber("columnNumber", column);
        w.WriteEndObject();
    }
}
