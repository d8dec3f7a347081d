using KernelGateway.Cli;
using KernelGateway.Kernel.Hosting;
using KernelGateway.Kernel.KernelSpecs;
using Microsoft.Extensions.Logging;

return await Commands.RunAsync(args);

namespace KernelGateway.Cli
{
    /// <summary>The <c>kernelgateway</c> command line.</summary>
    internal static class Commands
    {
        private const string Usage = """
            usage: kernelgateway <command> [options]

              serve [--port N] [--ip A] [--base-url P] [--token T] [--default-kernel K] [--list-kernels]
                    [--max-kernels N] [--prespawn N] [--cull-idle-timeout S] [--cull-interval S]
                    [--cull-connected] [--cull-busy]
                  The Jupyter Kernel Gateway-compatible server (127.0.0.1:8888 by default; KG_* variables too).
                  Culling (off by default) shuts down kernels idle for S seconds, as Jupyter Server's
                  --MappingKernelManager.cull_* options (accepted too).

              kernel -f <connection_file> [--log-level L]
                  Run the C# kernel for a Jupyter connection file (what the kernelspec's argv does).
              install [--user | --sys-prefix | --prefix P | --system] [--name N] [--display-name D]
                  Install the kernelspec (default: --user, name .net-csharp).
              kernelspec
                  Print the kernel.json this build would install.
              run <notebook.ipynb> [-o out.ipynb | --grid grid.yaml [--out TEMPLATE] [-j N]]
                  [-p name value]... [-r name raw]... [-f params.yaml]...
                  [-y 'yaml']... [-k kernel] [-l language] [--record-env NAME]... [--allow-errors]
                  [--execution-timeout S] [--run-timeout S] [--log-output] [--report-mode]
                  [--gateway-url URL [--gateway-token T]]
                  Execute a notebook headless and write a new output notebook (default: ~/.kernelgateway/runs/),
                  written as cells finish (atomically). Ctrl+C interrupts the kernel; a second Ctrl+C stops waiting.
                  A grid (YAML: name: [values]) runs every combination, N at once, each into TEMPLATE with {name},
                  {run_id}, {date}, {index} and any parameter filled in, and prints a summary table.
                  With --gateway-url, kernels come from that Kernel Gateway (token: --gateway-token or
                  KG_GATEWAY_TOKEN / JUPYTER_GATEWAY_AUTH_TOKEN).
                  Parameters as papermill takes them (-p typed: True/False/None, integers, floats, else text;
                  -r as text; -f/-y YAML), injected after the cell tagged "parameters" in the kernel's language
                  (C#, Python, F#, PowerShell, R, Scala, Bash); the run recorded in metadata.papermill.
              summarize <notebooks or 'runs/*.ipynb'>... [--format table|csv|json] [-o file]
                  One row per output notebook: path, status, duration, failing cell, parameters and the scraps
                  its cells glued (Glue("name", value) in C# cells, scrapbook's glue in Python).
              schedule add <name> <notebook> --cron "EXPR" [--tz ZONE] [-p name value]... [-r name raw]... [-f params.yaml]...
                  [-y 'yaml']... [-k kernel] [--timeout S] [--missed skip|once|all] [--max-concurrency N] [--paused]
                  Copies the notebook now into the content-addressed source store and schedules runs of that copy (cron: 5
                  fields, or 6 with seconds first; in ZONE, UTC by default). `kernelgateway serve` runs them (its scheduler,
                  on by default), each into runs/<name>/<name>-<run id>.ipynb, never overwritten.
              schedule update <name> [--notebook PATH] [--cron "EXPR"] [--tz ZONE] [-p ...] [-k kernel] [--timeout S]
                  [--missed P] [--max-concurrency N]
                  Takes a new snapshot (of PATH, or of the path scheduled before) and changes what is given; the history is kept.
              schedule list | show <name> | runs <name> [--state S] [--limit N] | run-now <name> [-p ...] [--wait]
                  | pause <name> | resume <name> | remove <name>
              runs list [--schedule NAME] [--state S] [--limit N] | show <id> | cancel <id>
                  Runs recorded in the state database (<data>/state.db, SQLite; KG_SCHEDULER_STORE=postgres://... for
                  PostgreSQL). cancel: a queued run at once, a running one is interrupted by its scheduler.
              --version
            """;

        public static async Task<int> RunAsync(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.Out.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            try
            {
                return args[0] switch
                {
                    "kernel" => await KernelAsync(args[1..]),
                    "install" => Install(args[1..]),
                    "kernelspec" => PrintKernelSpec(),
                    "run" => await Run.RunCommand.RunAsync(args[1..]),
                    "summarize" => await Run.SummarizeCommand.RunAsync(args[1..]),
                    "schedule" => await Schedule.ScheduleCommand.RunAsync(args[1..]),
                    "runs" => await Schedule.RunsCommand.RunAsync(args[1..]),
                    "serve" => await ServeCommand.RunAsync(args[1..]),
                    "--version" => Version(),
                    _ => Fail($"unknown command '{args[0]}'"),
                };
            }
            catch (UsageException e)
            {
                return Fail(e.Message);
            }
        }

        private static async Task<int> KernelAsync(string[] args)
        {
            // Jupyter clients may append their own arguments after the kernelspec's (`jupyter run` passes the files it
            // runs): like ipykernel, the kernel ignores what it does not know.
            var options = Options.Parse(args, flags: [], values: ["-f", "--connection-file", "--log-level"], ignoreUnknown: true);
            var file = options.Value("-f") ?? options.Value("--connection-file") ?? throw new UsageException("kernel needs -f <connection_file>");
            var level = Enum.TryParse<LogLevel>(options.Value("--log-level") ?? Environment.GetEnvironmentVariable("KG_LOG_LEVEL") ?? "Warning", true, out var l) ? l : LogLevel.Warning;
            var dataDir = KernelGateway.Kernel.Routing.KernelOptions.DefaultDataDirectory();
            var rows = long.TryParse(Environment.GetEnvironmentVariable("KG_WAREHOUSE_ROWS"), out var r) && r > 0 ? r : KernelGateway.Platform.Warehouse.EmbeddedWarehouse.DefaultSessionRows;
            var connections = KernelGateway.Platform.Warehouse.ConnectionRegistry.Load(dataDir);
            var warehouse = new KernelGateway.Platform.Warehouse.WarehouseClient(connections, new KernelGateway.Platform.Warehouse.EmbeddedWarehouse(dataDir, rows));
            var log = new StderrLogger("kernel", level);
            foreach (var problem in connections.Problems) log.LogWarning("connection entry not usable: {Problem}", problem.ToString());
            if (options.Ignored.Count > 0) log.LogDebug("ignoring arguments the kernel does not use: {Arguments}", string.Join(" ", options.Ignored));
            return await KernelProcess.RunAsync(file, log, extensions: [new KernelGateway.Extensions.Sql.SqlExtension(warehouse), new KernelGateway.Extensions.Sql.Spark.SparkExtension(warehouse.Connections),
                new KernelGateway.Extensions.Metastore.MetastoreExtension(warehouse)]);
        }

        private static int Install(string[] args)
        {
            var options = Options.Parse(args, flags: ["--user", "--sys-prefix", "--system"], values: ["--prefix", "--name", "--display-name"]);
            var scope = options.Has("--sys-prefix") ? InstallScope.SysPrefix
                : options.Value("--prefix") is not null ? InstallScope.Prefix
                : options.Has("--system") ? InstallScope.System
                : InstallScope.User;
            string dir;
            try
            {
                dir = KernelSpecInstaller.Install(scope, options.Value("--prefix"),
                    options.Value("--name") ?? KernelSpecInstaller.DefaultName,
                    options.Value("--display-name") ?? KernelSpecInstaller.DefaultDisplayName);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"kernelgateway install: {e.Message}");
                return 1;
            }
            Console.Out.WriteLine($"Installed kernelspec {Path.GetFileName(dir)} in {dir}");
            return 0;
        }

        private static int PrintKernelSpec()
        {
            Console.Out.WriteLine(KernelSpecInstaller.KernelJson(KernelSpecInstaller.DefaultDisplayName, KernelSpecInstaller.KernelArgv())
                .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        private static int Version()
        {
            Console.Out.WriteLine(typeof(Commands).Assembly.GetName().Version?.ToString(3));
            return 0;
        }

        private static int Fail(string message)
        {
            Console.Error.WriteLine($"kernelgateway: {message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    internal sealed class UsageException(string message) : Exception(message);

    /// <summary>A tiny option parser: flags, and options with a value (<c>--x v</c> or <c>--x=v</c>).</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new();
        private readonly HashSet<string> _flags = new();
        private readonly List<string> _ignored = new();

        /// <summary>Parses <paramref name="args"/>; an unknown one is an error, or kept in <see cref="Ignored"/> with <paramref name="ignoreUnknown"/>.</summary>
        public static Options Parse(string[] args, string[] flags, string[] values, bool ignoreUnknown = false)
        {
            var o = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                var a = args[i];
                var eq = a.IndexOf('=');
                var name = eq > 0 ? a[..eq] : a;
                if (flags.Contains(name)) o._flags.Add(name);
                else if (values.Contains(name))
                {
                    if (eq > 0) o._values[name] = a[(eq + 1)..];
                    else if (i + 1 < args.Length) o._values[name] = args[++i];
                    else throw new UsageException($"{name} needs a value");
                }
                else if (ignoreUnknown) o._ignored.Add(a);
                else throw new UsageException($"unknown option '{a}'");
            }
            return o;
        }

        /// <summary>The arguments left unparsed (with <c>ignoreUnknown</c>).</summary>
        public IReadOnlyList<string> Ignored => _ignored;

        public bool Has(string flag) => _flags.Contains(flag);

        public string? Value(string name) => _values.GetValueOrDefault(name);
    }
}
