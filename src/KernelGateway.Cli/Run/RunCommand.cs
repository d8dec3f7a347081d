using KernelGateway.Kernel.KernelSpecs;
using KernelGateway.Kernel.Routing;
using KernelGateway.Jobs.Execution;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Notebooks.Parameters;
using Spectre.Console;
using System.CommandLine;

namespace KernelGateway.Cli.Run;

/// <summary>
/// <c>kernelgateway run notebook.ipynb [-o out.ipynb | --grid grid.yaml --out 'runs/{name}-{alpha}.ipynb' -j 4]
/// [-p name value]... [-r name raw]... [-f params.yaml]... [-y 'yaml']... [-k kernel] [-l language]
/// [--record-env NAME]... [--allow-errors] [--execution-timeout S] [--run-timeout S] [--log-output] [--report-mode]</c>:
/// executes a notebook headless on a real kernel and writes a new output notebook (never over an existing file; by
/// default under <c>{data}/runs/</c>), its parameters injected and its run recorded as papermill does; with a grid,
/// one run per combination of the grid's values, at most <c>-j</c> at once, and a summary table at the end. Exit
/// code 0 when every run succeeded, 1 when one failed, 2 for bad arguments.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var options = new RunArguments.Options();
        var command = new Command("run", "Execute a notebook headless and write a new output notebook, written as cells finish (atomically); " +
            "parameters injected as papermill does; a grid runs every combination. Ctrl+C interrupts the kernel; a second Ctrl+C stops waiting.");
        options.AddTo(command);
        command.SetAction((parse, _) => RunAsync(options.Read(parse)));
        return command;
    }

    public static async Task<int> RunAsync(RunArguments a)
    {
        NotebookDocument notebook;
        try { notebook = NotebookDocument.Load(a.Input); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }
        var dataDir = KernelOptions.DefaultDataDirectory();
        IReadOnlyList<GridRun> runs;
        try
        {
            runs = a.GridFile is { } grid
                ? GridPlan.Expand(File.ReadAllText(grid), grid, a.Parameters, a.Input, a.OutTemplate ?? Path.Combine(dataDir, "runs", "{name}-{date}-{run_id}.ipynb"), DateTimeOffset.UtcNow)
                : [new GridRun(1, a.Parameters, new Dictionary<string, object?>(), a.Output ?? DefaultOutput(a, dataDir))];
            // Checked before any kernel starts: a language without a translator, a name it cannot take.
            foreach (var run in runs.Where(r => r.Parameters.Count > 0)) _ = ParameterTranslators.For(ParameterInjection.Language(notebook, a.Language)).Cell(run.Parameters);
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return Fail(e.Message);
        }
        if (runs.FirstOrDefault(r => File.Exists(r.Output)) is { } exists) return Fail($"{exists.Output} exists; output notebooks are never overwritten");
        var kernelName = a.Kernel ?? notebook.KernelName ?? KernelSpecInstaller.DefaultName;
        JobKernel source;
        if (a.GatewayUrl is { } gateway) source = new JobKernel(null, "", gateway, a.GatewayToken, kernelName);
        else if (FindSpec(kernelName) is { } spec) source = new JobKernel(spec, Path.Combine(dataDir, "runtime"));
        else return Fail($"no kernelspec named '{kernelName}' (looked in {string.Join(", ", KernelSpecCatalog.SearchPaths())})");

        var jobs = runs.Select(r => new NotebookJob(source, notebook, Options(a, r), r.Output)).ToList();
        using var cts = new CancellationTokenSource();
        var interrupts = 0;
        // The first Ctrl+C interrupts the running kernels (their cells fail and the records are written); a second stops waiting for them.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref interrupts) == 1) foreach (var job in jobs) _ = job.InterruptAsync();
            else cts.Cancel();
        };
        var prefix = runs.Count > 1;
        var stopping = new System.Collections.Concurrent.ConcurrentBag<Task>();
        using var gate = new SemaphoreSlim(a.Jobs);
        Task<JobOutcome[]> RunAll(IReadOnlyList<Action<CellProgress>>? progress) => Task.WhenAll(jobs.Select(async (job, i) =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                if (cts.IsCancellationRequested) return new JobOutcome(runs[i].Output, null, "cancelled before it started", TimeSpan.Zero);
                var hooks = progress is null
                    ? new RunHooks { Log = line => Console.Error.WriteLine(prefix ? $"[{i + 1}] {line}" : line), LogOutput = a.LogOutput }
                    : new RunHooks { Progress = progress[i] };
                return await job.RunAsync(hooks, stopping.Add, cts.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        var outcomes = RunProgress.Live(a)
            ? await RunProgress.ShowAsync(runs.Select((r, i) => prefix ? $"[{i + 1}] {Path.GetFileName(r.Output)}" : Path.GetFileName(r.Output)).ToList(), RunAll)
            : await RunAll(null);
        Report(runs, outcomes);
        await Task.WhenAll(stopping); // every kernel gone (shut down, or killed after its grace period) before the command exits
        return outcomes.All(o => o.Succeeded) ? 0 : 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"kernelgateway run: {message}");
        return 2;
    }

    private static string DefaultOutput(RunArguments a, string dataDir) =>
        Path.Combine(dataDir, "runs", $"{Path.GetFileNameWithoutExtension(a.Input)}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid().ToString("N")[..6]}.ipynb");

    private static KernelSpec? FindSpec(string name) =>
        KernelSpecCatalog.Find(name) ?? (name == KernelSpecInstaller.DefaultName
            // Not installed: run this very build as the kernel.
            ? new KernelSpec(name, AppContext.BaseDirectory, KernelSpecInstaller.KernelJson(KernelSpecInstaller.DefaultDisplayName, KernelSpecInstaller.KernelArgv()))
            : null);

    private static RunOptions Options(RunArguments a, GridRun run) => new()
    {
        Parameters = run.Parameters, Language = a.Language, AllowErrors = a.AllowErrors, InputPath = a.Input, OutputPath = run.Output,
        EnvironmentVariables = a.RecordEnv.ToDictionary(n => n, n => Environment.GetEnvironmentVariable(n) ?? ""),
        CellTimeout = a.CellTimeout ?? TimeSpan.FromMinutes(10), RunTimeout = a.RunTimeout, ReportMode = a.ReportMode,
    };

    /// <summary>One line per run for a single run; a table (parameters, status, duration, failing cell, path) for a grid.</summary>
    private static void Report(IReadOnlyList<GridRun> runs, IReadOnlyList<JobOutcome> outcomes)
    {
        if (runs.Count == 1)
        {
            var o = outcomes[0];
            Console.Out.WriteLine($"{(o.Succeeded ? "succeeded" : "FAILED")}: {o.Result?.CellsRun ?? 0} cells run; output notebook: {Path.GetFullPath(o.Output)}");
            if (!o.Succeeded) Console.Error.WriteLine($"failed cell: {o.Result?.Error ?? o.StartFailure}");
            return;
        }
        var names = runs.SelectMany(r => r.Combination.Keys).Distinct().ToList();
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("#");
        foreach (var n in names) table.AddColumn(Markup.Escape(n));
        table.AddColumns("status", "duration", "failing cell", "output");
        for (var i = 0; i < runs.Count; i++)
        {
            var o = outcomes[i];
            var cells = new List<string> { (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            cells.AddRange(names.Select(n => Markup.Escape(runs[i].Combination.TryGetValue(n, out var v) ? ParameterValues.Display(v) : "")));
            cells.Add(o.Succeeded ? "[green]succeeded[/]" : "[red]failed[/]");
            cells.Add($"{o.Duration.TotalSeconds:F1} s");
            cells.Add(o.FailingCell?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Markup.Escape(o.StartFailure ?? ""));
            cells.Add(Markup.Escape(Path.GetFullPath(o.Output)));
            table.AddRow(cells.ToArray());
        }
        TerminalTable.Write(table);
        Console.Out.WriteLine($"{outcomes.Count(o => o.Succeeded)} of {runs.Count} runs succeeded");
    }
}
