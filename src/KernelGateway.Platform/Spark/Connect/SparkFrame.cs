using Apache.Arrow;
using KernelGateway.Platform.Spark.Connect.Proto;
using Microsoft.Data.Analysis;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A lazy, immutable Spark DataFrame, as PySpark's: <c>spark.Sql(...)</c> or <c>spark.Table(...)</c>, then
/// <see cref="Where(Column)"/>, <see cref="Select(Column[])"/>, <see cref="GroupBy(Column[])"/>,
/// <see cref="OrderBy(Column[])"/>, <see cref="Limit"/>, each returning a new frame whose plan has the previous one as
/// its input. Nothing runs on the server until a result is asked for (<see cref="ToDataFrameAsync"/>,
/// <see cref="CollectAsync{T}"/>, <see cref="ShowAsync"/>, <see cref="CountAsync"/>, <see cref="Execute"/>) or its
/// schema (<see cref="SchemaAsync"/>). Expressions travel as plan nodes, never as SQL text built here.
/// </summary>
public sealed class SparkFrame
{
    private readonly SparkConnectClient _client;
    private Schema? _schema;

    internal SparkFrame(SparkConnectClient client, Relation relation)
    {
        _client = client;
        Relation = relation;
    }

    /// <summary>The frame's plan (never modified once made: frames share their inputs).</summary>
    internal Relation Relation { get; }

    /// <summary>The rows where a condition holds.</summary>
    public SparkFrame Where(Column condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return With(new Relation { Filter = new Filter { Input = Relation, Condition = condition.Expression } });
    }

    /// <summary>The rows where a SQL condition holds, parsed by the server (<c>Where("a &gt; 1")</c>, as PySpark's <c>df.where("a &gt; 1")</c>).</summary>
    public SparkFrame Where(string condition) => Where(Functions.Expr(condition));

    /// <summary>The given columns or expressions.</summary>
    public SparkFrame Select(params Column[] columns)
    {
        var project = new Project { Input = Relation };
        project.Expressions.AddRange(columns.Select(c => c.Expression));
        return With(new Relation { Project = project });
    }

    /// <summary>The given columns, by name (<c>*</c> for all).</summary>
    public SparkFrame Select(params string[] columns) => Select(columns.Select(Functions.Col).ToArray());

    /// <summary>Groups the rows by columns or expressions, for <see cref="SparkGroupedFrame.Agg"/>.</summary>
    public SparkGroupedFrame GroupBy(params Column[] columns) => new(this, columns);

    /// <summary>Groups the rows by columns, by name.</summary>
    public SparkGroupedFrame GroupBy(params string[] columns) => GroupBy(columns.Select(Functions.Col).ToArray());

    /// <summary>Aggregates over all rows (no grouping), as PySpark's <c>df.agg(...)</c>.</summary>
    public SparkFrame Agg(params Column[] aggregates) => GroupBy(System.Array.Empty<Column>()).Agg(aggregates);

    /// <summary>The rows sorted by columns: <see cref="Column.Asc"/>, <see cref="Column.Desc"/>, ...; a column without an order sorts ascending, nulls first.</summary>
    public SparkFrame OrderBy(params Column[] columns)
    {
        var sort = new Sort { Input = Relation, IsGlobal = true };
        sort.Order.AddRange(columns.Select(c => c.SortOrder));
        return With(new Relation { Sort = sort });
    }

    /// <summary>The rows sorted by columns, by name, ascending.</summary>
    public SparkFrame OrderBy(params string[] columns) => OrderBy(columns.Select(Functions.Col).ToArray());

    /// <summary>At most <paramref name="count"/> rows.</summary>
    public SparkFrame Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return With(new Relation { Limit = new Limit { Input = Relation, Limit_ = count } });
    }

    /// <summary>The result's schema, asked of the server once (<c>AnalyzePlan</c>); blocks: in async code use <see cref="SchemaAsync"/>.</summary>
    public Schema Schema => _schema ??= Task.Run(() => SchemaAsync()).GetAwaiter().GetResult();

    /// <summary>The result's schema, without running the plan (<c>AnalyzePlan</c>).</summary>
    public async Task<Schema> SchemaAsync(CancellationToken cancellationToken = default) =>
        _schema ??= await _client.SchemaAsync(Relation, cancellationToken).ConfigureAwait(false);

    /// <summary>Spark's plan of the frame, without running it.</summary>
    public Task<string> ExplainAsync(SparkExplainMode mode = SparkExplainMode.Simple, CancellationToken cancellationToken = default) =>
        _client.ExplainAsync(Relation, mode, cancellationToken);

    /// <summary>Runs the plan and returns its handle (Arrow batches, progress, cancel).</summary>
    public SparkExecution Execute(SparkExecuteOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Execute(Relation, options, cancellationToken);

    /// <summary>Runs the plan and returns its result as Arrow record batches, as they arrive.</summary>
    public IAsyncEnumerable<RecordBatch> ReadArrowAsync(CancellationToken cancellationToken = default) => _client.ReadArrowAsync(Relation, cancellationToken);

    /// <summary>Runs the plan into a DataFrame.</summary>
    public Task<DataFrame> ToDataFrameAsync(CancellationToken cancellationToken = default) =>
        Warehouse.ArrowFrames.LoadAsync(ReadArrowAsync(cancellationToken), cancellationToken);

    /// <summary>Runs the plan and maps each row to <typeparamref name="T"/> (see <see cref="SparkConnectClient.QueryAsync{T}"/>).</summary>
    public Task<IReadOnlyList<T>> CollectAsync<T>(CancellationToken cancellationToken = default) => _client.CollectAsync<T>(Relation, cancellationToken);

    /// <summary>The first rows as Spark's text table (what PySpark's <c>df.show()</c> prints), made by the server.</summary>
    /// <param name="rows">How many rows; 20 by default.</param>
    /// <param name="truncate">Cut strings to this many characters (0: never); 20 by default.</param>
    /// <param name="vertical">One line per value instead of a table.</param>
    /// <param name="cancellationToken">Interrupts the operation.</param>
    public async Task<string> ShowAsync(int rows = 20, int truncate = 20, bool vertical = false, CancellationToken cancellationToken = default)
    {
        var show = new Relation { ShowString = new ShowString { Input = Relation, NumRows = rows, Truncate = truncate, Vertical = vertical } };
        var text = await _client.CollectAsync<string>(show, cancellationToken).ConfigureAwait(false);
        return text.Count == 1 ? text[0] : throw new SparkConnectException($"show_string returned {text.Count} rows instead of one", Grpc.Core.StatusCode.Internal);
    }

    /// <summary>The number of rows (as PySpark's <c>df.count()</c>: a global <c>count(*)</c> aggregate).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var counts = await Agg(Functions.Count("*")).CollectAsync<long>(cancellationToken).ConfigureAwait(false);
        return counts.Count == 1 ? counts[0] : throw new SparkConnectException($"count(*) returned {counts.Count} rows instead of one", Grpc.Core.StatusCode.Internal);
    }

    /// <summary>The plan as the protocol's JSON, for reading.</summary>
    public override string ToString() => Relation.ToString();

    internal SparkFrame With(Relation relation) => new(_client, relation);
}
