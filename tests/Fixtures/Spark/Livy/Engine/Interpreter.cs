namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>What runs a statement's code: a script if there is one, else <c>sql</c> on DuckDB, else <c>spark.sql(...).show()</c>, else an error naming the fixture.</summary>
internal sealed class Interpreter(LivyScripts scripts, DuckDbSql sql, LivyServerOptions options)
{
    private readonly SqlInterpreter _sql = new(sql, options.SqlNumRows);

    public async Task<LivyReply> RunAsync(int sessionId, FakeStatement statement, Action<double> progress, CancellationToken interrupt)
    {
        switch (scripts.Take(statement.Code))
        {
            case LivyHeldStatement held: return await held.RunAsync(sessionId, statement.Id, progress, interrupt);
            case LivyReply reply: return reply;
        }
        if (statement.Kind == "sql") return await _sql.RunAsync(statement.Code, interrupt);
        if (SparkShow.Matches(statement.Code, statement.Kind, out var query, out var rows)) return await SparkShow.RunAsync(sql, query, rows, statement.Kind, interrupt);
        return LivyReply.Error("Error", $"the Livy fixture has no script for this {statement.Kind} code (script it with LivyServer.Scripts): {statement.Code}");
    }
}
