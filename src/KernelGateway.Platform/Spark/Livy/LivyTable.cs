namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A table a statement returned, with typed values: from <c>application/vnd.livy.table.v1+json</c> (a
/// <c>%table</c> magic) or from the <c>application/json</c> <c>{schema, data}</c> of a <c>sql</c> statement (at most
/// <c>livy.rsc.sql.num-rows</c> rows, 1000 by default: Livy never says whether it cut the result). Kept free of any
/// display library: the notebook side turns it into its tabular display (<c>TabularResult.FromFields</c>).
/// </summary>
/// <param name="Columns">The columns.</param>
/// <param name="Rows">The rows, values in column order and of the column's type (null for null).</param>
public sealed record LivyTable(IReadOnlyList<LivyColumn> Columns, IReadOnlyList<object?[]> Rows);
