using System.Diagnostics;
using System.Text.Json;

namespace KernelGateway.Tests.Fixtures.Spark.Connect;

/// <summary>What <c>tests/node/spark-connect.mjs</c> should do (see that script for the output it prints).</summary>
public sealed record NodeSparkRequest(string Sql)
{
    /// <summary>Named arguments: name → a Spark Connect <c>Expression.Literal</c> in proto JSON (<c>{"integer": 1}</c>).</summary>
    public IReadOnlyDictionary<string, object>? Arguments { get; init; }

    /// <summary>Positional arguments, each an <c>Expression.Literal</c> in proto JSON.</summary>
    public IReadOnlyList<object>? PositionalArguments { get; init; }

    /// <summary>The session id; default a new UUID.</summary>
    public string? SessionId { get; init; }

    /// <summary>user_context.user_id; default "node".</summary>
    public string? UserId { get; init; }

    /// <summary>The operation id; default a new UUID.</summary>
    public string? OperationId { get; init; }

    /// <summary>A tag for the execution.</summary>
    public string? Tag { get; init; }

    /// <summary>Send ReattachOptions{reattachable=true}, reattach after a broken stream, release at the end.</summary>
    public bool Reattachable { get; init; }

    /// <summary>Send Interrupt(OPERATION_ID) once this many responses have arrived.</summary>
    public int? InterruptAfter { get; init; }

    /// <summary>Send Plan.command.sql_command instead of Plan.root.sql.</summary>
    public bool Command { get; init; }

    /// <summary>Leave rows out of batch lines and print the sum of an int64 first column.</summary>
    public bool Summary { get; init; }

    /// <summary>A Catalog relation in proto JSON (<c>{"list_tables": {"db_name": "sales"}}</c>) sent as Plan.root instead of the SQL.</summary>
    public string? CatalogLookup { get; init; }

    /// <summary>The bearer token to send.</summary>
    public string? Token { get; init; }

    /// <summary>A PEM file with the CA to trust (for TLS).</summary>
    public string? CaFile { get; init; }
}

/// <summary>The JSON lines spark-connect.mjs printed.</summary>
public sealed record NodeSparkRun(IReadOnlyList<JsonElement> Lines)
{
    /// <summary>The lines of one kind (schema, batch, progress, metrics, result_complete, sql_command_result, reattach,
    /// interrupt, summary, end, error).</summary>
    public IReadOnlyList<JsonElement> Of(string kind) => Lines.Where(l => l.GetProperty("kind").GetString() == kind).ToList();

    /// <summary>The error line (an Interrupt reply printed by another callback may come after it), or null when the stream ended OK.</summary>
    public JsonElement? Error => Lines.Where(l => l.GetProperty("kind").GetString() == "error").Select(l => (JsonElement?)l).LastOrDefault();
}

/// <summary>
/// Runs the independent Spark Connect client of <c>tests/node</c> (<c>spark-connect.mjs</c>: @grpc/grpc-js 1.14.7,
/// @grpc/proto-loader 0.8.1, apache-arrow 21.2.0; installed by <c>npm ci</c>) with <c>node</c> from PATH.
/// </summary>
public static class NodeSparkClients
{
    /// <summary>The <c>tests/node</c> directory, found upwards from the test assembly.</summary>
    /// <exception cref="DirectoryNotFoundException">Not found, or its node_modules is missing (run <c>npm ci</c> there).</exception>
    public static string Directory
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "tests", "node");
                if (!File.Exists(Path.Combine(candidate, "spark-connect.mjs"))) continue;
                if (!System.IO.Directory.Exists(Path.Combine(candidate, "node_modules", "@grpc", "grpc-js")))
                {
                    throw new DirectoryNotFoundException($"{candidate}/node_modules is missing: run `npm ci` there (tests/run-all.sh does)");
                }
                return candidate;
            }
            throw new DirectoryNotFoundException("tests/node not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Runs <paramref name="request"/> against <paramref name="server"/> and returns the lines printed.</summary>
    /// <exception cref="InvalidOperationException">node failed.</exception>
    public static async Task<NodeSparkRun> ExecuteAsync(Uri server, NodeSparkRequest request, CancellationToken ct = default)
    {
        List<string> args = request.CatalogLookup is { } lookup
            ? ["spark-connect.mjs", "--server", server.ToString(), "--catalog", lookup]
            : ["spark-connect.mjs", "--server", server.ToString(), "--sql", request.Sql];
        void Add(string name, string? value)
        {
            if (value is not null) args.AddRange([name, value]);
        }
        Add("--args", request.Arguments is null ? null : JsonSerializer.Serialize(request.Arguments));
        Add("--pos-args", request.PositionalArguments is null ? null : JsonSerializer.Serialize(request.PositionalArguments));
        Add("--session", request.SessionId);
        Add("--user", request.UserId);
        Add("--operation", request.OperationId);
        Add("--tag", request.Tag);
        Add("--interrupt-after", request.InterruptAfter?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--token", request.Token);
        Add("--ca", request.CaFile);
        if (request.Reattachable) args.Add("--reattachable");
        if (request.Command) args.Add("--command");
        if (request.Summary) args.Add("--summary");
        var stdout = await RunNodeAsync(args, ct);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return new NodeSparkRun(lines);
    }

    /// <summary>Runs <c>node</c> in <see cref="Directory"/> and returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">node exited with a non-zero code.</exception>
    public static Task<string> RunNodeAsync(IEnumerable<string> args, CancellationToken ct = default) => NodeProcess.RunAsync(Directory, args, ct);
}
