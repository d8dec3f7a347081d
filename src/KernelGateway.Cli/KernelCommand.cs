using System.CommandLine;
using KernelGateway.Kernel.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Cli;

/// <summary><c>kernelgateway kernel -f connection.json [--log-level L]</c>: the C# kernel, as its kernelspec's argv runs it.</summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--connection-file", "-f") { Description = "The Jupyter connection file", HelpName = "connection_file", Required = true };
        var level = new Option<LogLevel?>("--log-level") { Description = "Trace, Debug, Information, Warning (default; also KG_LOG_LEVEL), Error" };
        // Jupyter clients may append their own arguments after the kernelspec's (`jupyter run` passes the files it
        // runs): like ipykernel, the kernel ignores what it does not know (logged at debug level).
        var command = new Command("kernel", "Run the C# kernel for a Jupyter connection file (what the kernelspec's argv does)") { file, level };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, _) => RunAsync(parse.GetValue(file)!, parse.GetValue(level), parse.UnmatchedTokens));
        return command;
    }

    private static async Task<int> RunAsync(string file, LogLevel? level, IReadOnlyList<string> ignored)
    {
        var logLevel = level ?? (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("KG_LOG_LEVEL") ?? "Warning", true, out var l) ? l : LogLevel.Warning);
        var dataDir = KernelGateway.Kernel.Routing.KernelOptions.DefaultDataDirectory();
        var rows = long.TryParse(Environment.GetEnvironmentVariable("KG_WAREHOUSE_ROWS"), out var r) && r > 0 ? r : KernelGateway.Platform.Warehouse.EmbeddedWarehouse.DefaultSessionRows;
        var connections = KernelGateway.Platform.Warehouse.ConnectionRegistry.Load(dataDir);
        var warehouse = new KernelGateway.Platform.Warehouse.WarehouseClient(connections, new KernelGateway.Platform.Warehouse.EmbeddedWarehouse(dataDir, rows));
        var log = new StderrLogger("kernel", logLevel);
        foreach (var problem in connections.Problems) log.LogWarning("connection entry not usable: {Problem}", problem.ToString());
        if (ignored.Count > 0) log.LogDebug("ignoring arguments the kernel does not use: {Arguments}", string.Join(" ", ignored));
        return await KernelProcess.RunAsync(file, log, extensions: [new KernelGateway.Extensions.Sql.SqlExtension(warehouse), new KernelGateway.Extensions.Sql.Spark.SparkExtension(warehouse.Connections),
            new KernelGateway.Extensions.Metastore.MetastoreExtension(warehouse)]);
    }
}
