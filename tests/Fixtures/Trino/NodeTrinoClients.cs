using System.Diagnostics;
using System.Text.Json;

namespace KernelGateway.Tests.Fixtures.Trino;

/// <summary>
/// Runs the independent npm clients of <c>tests/node</c> (trino-client 0.2.9, presto-client 1.2.0; installed by
/// <c>tests/run-all.sh</c> with <c>npm ci</c>) with <c>node</c> from PATH.
/// </summary>
public static class NodeTrinoClients
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
                if (!File.Exists(Path.Combine(candidate, "read-rows.mjs"))) continue;
                if (!System.IO.Directory.Exists(Path.Combine(candidate, "node_modules", "trino-client")))
                {
                    throw new DirectoryNotFoundException($"{candidate}/node_modules is missing: run `npm ci` there (tests/run-all.sh does)");
                }
                return candidate;
            }
            throw new DirectoryNotFoundException("tests/node not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Reads <paramref name="sql"/> through <c>read-rows.mjs</c> with <paramref name="client"/> ("trino" or "presto") and
    /// returns its JSON: <c>{columns:[{name,type}], rows, rowCount, error?}</c>; with <paramref name="summary"/> rows are
    /// left out and <c>firstColumnSum</c> (a decimal string) is added.
    /// </summary>
    /// <exception cref="InvalidOperationException">node failed or printed no JSON.</exception>
    public static async Task<JsonElement> ReadRowsAsync(string client, Uri server, string user, string sql, string? catalog = null,
        string? schema = null, bool summary = false, CancellationToken ct = default)
    {
        List<string> args = ["read-rows.mjs", "--client", client, "--server", server.ToString(), "--user", user, "--sql", sql];
        if (catalog is not null) args.AddRange(["--catalog", catalog]);
        if (schema is not null) args.AddRange(["--schema", schema]);
        if (summary) args.Add("--summary");
        var stdout = await RunNodeAsync(args, ct);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>Runs <c>node</c> in <see cref="Directory"/> and returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">node exited with a non-zero code.</exception>
    public static Task<string> RunNodeAsync(IEnumerable<string> args, CancellationToken ct = default) => NodeProcess.RunAsync(Directory, args, ct);
}
