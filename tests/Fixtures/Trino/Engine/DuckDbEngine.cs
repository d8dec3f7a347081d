using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>
/// The backing database: one in-memory DuckDB with the catalogs <c>memory</c> (schema <c>default</c>, writable) and
/// <c>tpch</c> (schema <c>tiny</c>). Every query gets its own connection to it, set up for the client's session
/// (catalog and schema, time zone, Trino's integer division, the dialect macros); a transaction keeps one
/// connection with an open DuckDB transaction until COMMIT or ROLLBACK.
/// </summary>
internal sealed class DuckDbEngine : IDisposable
{
    /// <summary>Functions Trino has and DuckDB lacks, as temporary macros (every connection sees its own).</summary>
    private static readonly string[] Macros =
    [
        "CREATE OR REPLACE TEMP MACRO sequence(a, b) AS generate_series(a, b), (a, b, c) AS generate_series(a, b, c)",
        "CREATE OR REPLACE TEMP MACRO nan() AS CAST('NaN' AS DOUBLE)",
        "CREATE OR REPLACE TEMP MACRO infinity() AS CAST('Infinity' AS DOUBLE)",
        "CREATE OR REPLACE TEMP MACRO is_nan(x) AS isnan(x)",
        "CREATE OR REPLACE TEMP MACRO is_infinite(x) AS isinf(x)",
        "CREATE OR REPLACE TEMP MACRO cardinality(x) AS len(x)",
        "CREATE OR REPLACE TEMP MACRO element_at(a, i) AS a[i]",
    ];

    private readonly DuckDBConnection _root;
    private readonly Dictionary<string, Transaction> _transactions = [];
    private readonly Lock _gate = new();

    /// <summary>Pages of finished queries, by query, for <see cref="TrinoServerOptions.ReplayResults"/>.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (IReadOnlyList<OutputColumn> Columns, List<ResultPage> Pages)> RenderedResults { get; } = new();

    public DuckDbEngine()
    {
        _root = new DuckDBConnection("DataSource=:memory:");
        _root.Open();
        Run(_root, "SET autoinstall_known_extensions = false");
        Run(_root, "CREATE SCHEMA memory.\"default\"");
        foreach (var sql in TpchTiny.Statements()) Run(_root, sql);
        RegisterTrinoType(_root);
    }

    /// <summary><c>trino_type(duckdb_type)</c>: a DuckDB type name as Trino spells it (for information_schema.columns.data_type).</summary>
    private static void RegisterTrinoType(DuckDBConnection c) =>
        c.RegisterScalarFunction<string, string>("trino_type", (readers, writer, rowCount) =>
        {
            for (ulong row = 0; row < rowCount; row++) writer.WriteValue(Types.DuckDbTypeMapper.Map(readers[0].GetValue<string>(row)).ToString(), row);
        });

    /// <summary>A connection set up for a session; <paramref name="timeZone"/> is an IANA id or null (UTC).</summary>
    public DuckDBConnection Open(string? catalog, string? schema, string? timeZone)
    {
        var c = Duplicate();
        try
        {
            foreach (var m in Macros) Run(c, m);
            Run(c, "SET integer_division = true");
            Run(c, $"SET TimeZone = '{(timeZone ?? "UTC").Replace("'", "''")}'");
            if (catalog is not null) CheckExists(c, catalog, schema);
            var target = catalog is null ? "memory.\"default\"" : schema is null ? Ident(catalog) : $"{Ident(catalog)}.{Ident(schema)}";
            Run(c, $"USE {target}");
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>The session's catalog and schema must exist, as Trino checks them (CATALOG_NOT_FOUND 44, SCHEMA_NOT_FOUND 45).</summary>
    private static void CheckExists(DuckDBConnection c, string catalog, string? schema)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FILTER (WHERE true), count(*) FILTER (WHERE schema_name = $s) FROM duckdb_schemas() WHERE database_name = $c";
        cmd.Parameters.Add(new DuckDBParameter("c", catalog));
        cmd.Parameters.Add(new DuckDBParameter("s", schema ?? ""));
        using var r = cmd.ExecuteReader();
        r.Read();
        if (r.GetInt64(0) == 0) throw new TrinoFailure(TrinoError.User($"Catalog '{catalog}' not found", 44, "CATALOG_NOT_FOUND"));
        if (schema is not null && r.GetInt64(1) == 0) throw new TrinoFailure(TrinoError.User($"Schema '{schema}' does not exist", 45, "SCHEMA_NOT_FOUND"));
    }

    /// <summary>Runs setup SQL on the shared database.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var c = Duplicate();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Starts a transaction on a connection of its own; returns its id.</summary>
    public string Begin(string? catalog, string? schema, string? timeZone)
    {
        var c = Open(catalog, schema, timeZone);
        Run(c, "BEGIN TRANSACTION");
        var id = Guid.NewGuid().ToString();
        lock (_gate) _transactions[id] = new Transaction(c);
        return id;
    }

    /// <summary>The transaction with this id, or null.</summary>
    public Transaction? Find(string id)
    {
        lock (_gate) return _transactions.GetValueOrDefault(id);
    }

    /// <summary>Commits or rolls back and closes the transaction's connection.</summary>
    public void End(string id, bool commit)
    {
        Transaction? t;
        lock (_gate)
        {
            if (!_transactions.Remove(id, out t)) throw new InvalidOperationException("Unknown transaction ID: " + id);
        }
        try
        {
            Run(t.Connection, commit ? "COMMIT" : "ROLLBACK");
        }
        finally
        {
            t.Connection.Dispose();
        }
    }

    private DuckDBConnection Duplicate()
    {
        var c = _root.Duplicate();
        if (c.State != System.Data.ConnectionState.Open) c.Open();
        return c;
    }

    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static void Run(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var t in _transactions.Values) t.Connection.Dispose();
            _transactions.Clear();
        }
        _root.Dispose();
    }

    /// <summary>An open transaction: its connection, used by one query at a time.</summary>
    internal sealed class Transaction(DuckDBConnection connection)
    {
        public DuckDBConnection Connection { get; } = connection;
        public SemaphoreSlim Turn { get; } = new(1, 1);
    }
}
