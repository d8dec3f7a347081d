using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace KernelGateway.Kernel.History;

/// <summary>
/// Execution history, kept in SQLite in the data directory (<c>history.sqlite</c>) so that later kernel
/// sessions can read earlier ones, as IPython does. Each kernel process is one session, numbered in start
/// order. With no file (persistence off) it keeps the current session in memory only.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    /// <summary>Opens (or creates) the history at <paramref name="path"/>; null keeps it in memory.</summary>
    public HistoryStore(string? path)
    {
        if (path is not null) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path ?? ":memory:",
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _db.Open();
        Exec("PRAGMA busy_timeout = 5000");
        if (path is not null) Exec("PRAGMA journal_mode = WAL");
        Exec("""
            CREATE TABLE IF NOT EXISTS sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, kernel_session TEXT, start TEXT);
            CREATE TABLE IF NOT EXISTS history (session INTEGER, line INTEGER, source TEXT, output TEXT, PRIMARY KEY (session, line));
            """);
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "INSERT INTO sessions (kernel_session, start) VALUES ($k, $s); SELECT last_insert_rowid();";
        cmd.Parameters.AddWithValue("$k", Guid.NewGuid().ToString());
        cmd.Parameters.AddWithValue("$s", DateTimeOffset.UtcNow.ToString("O"));
        Session = Convert.ToInt32(cmd.ExecuteScalar());
    }

    /// <summary>The number of the current session.</summary>
    public int Session { get; }

    /// <summary>Records one input (and its text output, if any) as line <paramref name="line"/>.</summary>
    public void Append(int line, string source, string? output)
    {
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO history (session, line, source, output) VALUES ($s, $l, $src, $out)";
            cmd.Parameters.AddWithValue("$s", Session);
            cmd.Parameters.AddWithValue("$l", line);
            cmd.Parameters.AddWithValue("$src", source);
            cmd.Parameters.AddWithValue("$out", (object?)output ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>The last <paramref name="n"/> entries over all sessions, oldest first.</summary>
    public List<JsonElement> Tail(int n, bool output) =>
        Query("SELECT session, line, source, output FROM (SELECT * FROM history ORDER BY session DESC, line DESC LIMIT $n) ORDER BY session, line",
            output, ("$n", n));

    /// <summary>
    /// Lines [<paramref name="start"/>, <paramref name="stop"/>) of a session; session 0 (or less) counts back
    /// from the current one; stop 0 means to the end.
    /// </summary>
    public List<JsonElement> Range(int session, int start, int stop, bool output)
    {
        var s = session <= 0 ? Session + session : session;
        return Query("SELECT session, line, source, output FROM history WHERE session = $s AND line >= $start AND ($stop <= 0 OR line < $stop) ORDER BY line",
            output, ("$s", s), ("$start", start), ("$stop", stop));
    }

    /// <summary>Entries whose input matches a glob (<c>*</c>, <c>?</c>), newest <paramref name="n"/> if given, oldest first.</summary>
    public List<JsonElement> Search(string pattern, int? n, bool unique, bool output)
    {
        var inner = unique
            ? "SELECT session, line, source, output FROM history WHERE source GLOB $p AND rowid IN (SELECT max(rowid) FROM history WHERE source GLOB $p GROUP BY source)"
            : "SELECT session, line, source, output FROM history WHERE source GLOB $p";
        var sql = $"SELECT * FROM ({inner} ORDER BY session DESC, line DESC LIMIT $n) ORDER BY session, line";
        return Query(sql, output, ("$p", pattern), ("$n", n ?? -1));
    }

    private List<JsonElement> Query(string sql, bool output, params (string Name, object Value)[] parameters)
    {
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
            using var reader = cmd.ExecuteReader();
            var rows = new List<JsonElement>();
            while (reader.Read())
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(reader.GetInt32(0));
                    w.WriteNumberValue(reader.GetInt32(1));
                    if (output)
                    {
                        w.WriteStartArray();
                        w.WriteStringValue(reader.GetString(2));
                        if (reader.IsDBNull(3)) w.WriteNullValue(); else w.WriteStringValue(reader.GetString(3));
                        w.WriteEndArray();
                    }
                    else
                    {
                        w.WriteStringValue(reader.GetString(2));
                    }
                    w.WriteEndArray();
                }
                rows.Add(JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone());
            }
            return rows;
        }
    }

    private void Exec(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Closes the database.</summary>
    public void Dispose() => _db.Dispose();
}
