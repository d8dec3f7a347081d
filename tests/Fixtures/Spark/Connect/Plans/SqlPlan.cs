namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>What a statement does in Spark: a query (rows computed as they stream), a command that returns rows
/// (SHOW, DESCRIBE, EXPLAIN), or a command run for its effect (DDL, DML, SET…), whose result has no columns.</summary>
internal enum StatementKind { Query, RowsCommand, Command }

/// <summary>A parameter bound to DuckDB: its DuckDB name (without <c>$</c>), value and the Spark name it came from.</summary>
internal sealed record BoundParameter(string DuckName, object? Value, string SparkName);

/// <summary>
/// A plan ready to run on DuckDB: the SQL, its bound parameters, the statement kind, and for plans from Spark SQL the
/// SQL as the client sent it with the rewrite (to map error positions back).
/// </summary>
internal sealed record SqlPlan(string DuckDb, IReadOnlyList<BoundParameter> Parameters, StatementKind Kind, string? SparkSql = null, RewrittenSql? Rewritten = null);
