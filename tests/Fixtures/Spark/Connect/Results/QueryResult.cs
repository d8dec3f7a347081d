using System.Data;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>
/// A plan running on DuckDB, read row by row as DuckDB streams it (<c>UseStreamingMode</c>): never more than the
/// current row is held. A query's columns come from DuckDB's <c>DESCRIBE</c> of it (full types, without running it); a
/// wrapping SELECT reads the columns DuckDB.NET cannot hold as text or JSON. A command returning rows (SHOW, DESCRIBE,
/// EXPLAIN) is read as it comes; any other command runs to completion and has no columns and no rows.
/// </summary>
internal sealed class QueryResult : IDisposable
{
    private readonly DuckDBCommand? _command;
    private readonly DuckDBDataReader? _reader;
    private readonly SqlPlan _plan;
    private readonly int _linesBefore;

    private QueryResult(IReadOnlyList<ResultColumn> columns, DuckDBCommand? command, DuckDBDataReader? reader, SqlPlan plan, int linesBefore)
    {
        Columns = columns;
        _command = command;
        _reader = reader;
        _plan = plan;
        _linesBefore = linesBefore;
    }

    public IReadOnlyList<ResultColumn> Columns { get; }

    public IReadOnlyList<SparkField> Fields => Columns.Select(c => c.Field).ToList();

    /// <summary>The columns of a query, from DuckDB's DESCRIBE (nothing runs).</summary>
    public static IReadOnlyList<ResultColumn> Describe(DuckDBConnection c, SqlPlan plan)
    {
        var columns = new List<ResultColumn>();
        using var cmd = Command(c, "DESCRIBE\n" + plan.DuckDb, plan);
        try
        {
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var type = DuckDbTypes.Column(r.GetString(1));
                columns.Add(new ResultColumn(r.GetString(0), type, DuckValues.Reader(type)));
            }
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, plan, linesBefore: 1);
        }
        return columns;
    }

    /// <summary>Starts the plan; <paramref name="onCommand"/> receives the command before it runs (to cancel it).</summary>
    public static QueryResult Open(DuckDBConnection c, SqlPlan plan, Action<DuckDBCommand> onCommand)
    {
        return plan.Kind switch
        {
            StatementKind.Query => OpenQuery(c, plan, onCommand),
            StatementKind.RowsCommand => Run(Command(c, plan.DuckDb, plan), plan, 0, onCommand, reader => ReaderColumns(reader)),
            _ => RunCommand(c, plan, onCommand),
        };
    }

    private static QueryResult OpenQuery(DuckDBConnection c, SqlPlan plan, Action<DuckDBCommand> onCommand)
    {
        var columns = Describe(c, plan);
        var items = string.Join(", ", columns.Select((col, i) => col.SelectItem(i + 1)));
        var sql = columns.All(col => col.DuckType.Read is ReadAs.Value or ReadAs.Interval) ? plan.DuckDb : $"SELECT {items} FROM (\n{plan.DuckDb}\n) AS __spark_q";
        return Run(Command(c, sql, plan), plan, sql == plan.DuckDb ? 0 : 1, onCommand, _ => columns);
    }

    private static QueryResult Run(DuckDBCommand cmd, SqlPlan plan, int linesBefore, Action<DuckDBCommand> onCommand,
        Func<DuckDBDataReader, IReadOnlyList<ResultColumn>> columns)
    {
        cmd.UseStreamingMode = true;
        onCommand(cmd);
        try
        {
            var reader = (DuckDBDataReader)cmd.ExecuteReader(CommandBehavior.Default);
            return new QueryResult(columns(reader), cmd, reader, plan, linesBefore);
        }
        catch (DuckDBException e)
        {
            cmd.Dispose();
            throw DuckDbErrors.Map(e, plan, linesBefore);
        }
    }

    private static QueryResult RunCommand(DuckDBConnection c, SqlPlan plan, Action<DuckDBCommand> onCommand)
    {
        using var cmd = Command(c, plan.DuckDb, plan);
        onCommand(cmd);
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, plan, 0);
        }
        return new QueryResult([], null, null, plan, 0);
    }

    /// <summary>Columns of a command's rows, from the reader's CLR types (commands cannot be described).</summary>
    private static List<ResultColumn> ReaderColumns(DuckDBDataReader r) =>
        Enumerable.Range(0, r.FieldCount).Select(i =>
        {
            var t = r.GetFieldType(i);
            var kind = t == typeof(long) ? SparkKind.Long : t == typeof(int) ? SparkKind.Integer : t == typeof(bool) ? SparkKind.Boolean
                : t == typeof(double) ? SparkKind.Double : SparkKind.String;
            var type = new DuckColumnType(SparkType.Of(kind), kind == SparkKind.String ? ReadAs.Text : ReadAs.Value);
            return new ResultColumn(r.GetName(i), type, kind == SparkKind.String ? (rd, o) => rd.IsDBNull(o) ? null : Convert.ToString(rd.GetValue(o)) : DuckValues.Reader(type));
        }).ToList();

    private static DuckDBCommand Command(DuckDBConnection c, string sql, SqlPlan plan)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in plan.Parameters) cmd.Parameters.Add(new DuckDBParameter(p.DuckName, p.Value ?? DBNull.Value));
        return cmd;
    }

    /// <summary>Reads the next row into <paramref name="values"/>; false at the end.</summary>
    public bool ReadRow(object?[] values)
    {
        try
        {
            if (_reader is null || !_reader.Read()) return false;
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, _plan, _linesBefore);
        }
        for (var i = 0; i < Columns.Count; i++) values[i] = Columns[i].Read(_reader, i);
        return true;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _command?.Dispose();
    }
}
