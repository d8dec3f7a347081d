using System.Text.Json.Nodes;
using KernelGateway.Kernel.KernelSpecs;
using KernelGateway.Kernel.Routing;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Notebooks.Parameters;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Cli;

/// <summary>
/// <c>kernelgateway run notebook.ipynb [-o out.ipynb] [-p name value]... [-r name raw]... [-f params.yaml]...
/// [-y 'yaml']... [-k kernel] [-l language] [--record-env NAME]... [--allow-errors] [--execution-timeout S]
/// [--run-timeout S] [--log-output] [--report-mode]</c>: executes a notebook headless
/// on a real kernel and writes a new output notebook (never over an existing file; by default under
/// <c>{data}/runs/</c>), its parameters injected and its run recorded as papermill does. Exit code 0 when every cell
/// succeeded, 1 when one failed, 2 for bad arguments (bad YAML, a parameter name the language cannot take, ...).
/// </summary>
internal static class RunCommand
{
    private static TimeSpan Seconds(string option, string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s)
            ? TimeSpan.FromSeconds(s) : throw new UsageException($"{option} needs a positive number of seconds, not '{text}'");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new UsageException("run needs a notebook path");
        var input = args[0];
        var typed = new List<(string Name, string Value)>();
        var raw = new List<(string Name, string Value)>();
        var yamls = new List<string>();
        var files = new List<string>();
        var recordEnv = new List<string>();
        string? output = null, kernelName = null, language = null;
        var allowErrors = false;
        var logOutput = false;
        var reportMode = false;
        TimeSpan? cellTimeout = null, runTimeout = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output" when i + 1 < args.Length: output = args[++i]; break;
                case "-p" or "--parameter" when i + 2 < args.Length: typed.Add((args[i + 1], args[i + 2])); i += 2; break;
                case "-r" or "--parameter-raw" when i + 2 < args.Length: raw.Add((args[i + 1], args[i + 2])); i += 2; break;
                case "-f" or "--parameters-file" when i + 1 < args.Length: files.Add(args[++i]); break;
                case "-y" or "--parameters-yaml" when i + 1 < args.Length: yamls.Add(args[++i]); break;
                case "-k" or "--kernel" when i + 1 < args.Length: kernelName = args[++i]; break;
                case "-l" or "--language" when i + 1 < args.Length: language = args[++i]; break;
                case "--record-env" when i + 1 < args.Length: recordEnv.Add(args[++i]); break;
                case "--allow-errors": allowErrors = true; break;
                case "--log-output": logOutput = true; break;
                case "--report-mode": reportMode = true; break;
                case "--execution-timeout" when i + 1 < args.Length: cellTimeout = Seconds(args[i], args[++i]); break;
                case "--run-timeout" when i + 1 < args.Length: runTimeout = Seconds(args[i], args[++i]); break;
                default: throw new UsageException($"run: unexpected '{args[i]}'");
            }
        }
        // As papermill merges them: YAML strings, then files, then -p (typed), then -r (raw); later ones win.
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        try
        {
            foreach (var yaml in yamls) foreach (var (k, v) in YamlParameters.Parse(yaml, "-y")) parameters[k] = v;
            foreach (var file in files) foreach (var (k, v) in YamlParameters.Parse(File.ReadAllText(file), file)) parameters[k] = v;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"kernelgateway run: {e.Message}");
            return 2;
        }
        foreach (var (k, v) in typed) parameters[k] = ParameterValues.FromCommandLine(v);
        foreach (var (k, v) in raw) parameters[k] = v;
        var environment = recordEnv.Distinct().ToDictionary(n => n, n => Environment.GetEnvironmentVariable(n) ?? "");

        NotebookDocument notebook;
        try { notebook = NotebookDocument.Load(input); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"kernelgateway run: {e.Message}");
            return 2;
        }
        try
        {
            // Checked before a kernel starts: a language without a translator, a name it cannot take.
            if (parameters.Count > 0) _ = ParameterTranslators.For(ParameterInjection.Language(notebook, language)).Cell(parameters);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            Console.Error.WriteLine($"kernelgateway run: {e.Message}");
            return 2;
        }
        kernelName ??= notebook.KernelName ?? KernelSpecInstaller.DefaultName;
        var spec = KernelSpecCatalog.Find(kernelName);
        if (spec is null && kernelName == KernelSpecInstaller.DefaultName)
        {
            // Not installed: run this very build as the kernel.
            spec = new KernelSpec(kernelName, AppContext.BaseDirectory, KernelSpecInstaller.KernelJson(KernelSpecInstaller.DefaultDisplayName, KernelSpecInstaller.KernelArgv()));
        }
        if (spec is null)
        {
            Console.Error.WriteLine($"kernelgateway run: no kernelspec named '{kernelName}' (looked in {string.Join(", ", KernelSpecCatalog.SearchPaths())})");
            return 2;
        }

        var dataDir = KernelOptions.DefaultDataDirectory();
        output ??= Path.Combine(dataDir, "runs", $"{Path.GetFileNameWithoutExtension(input)}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Guid.NewGuid().ToString("N")[..6]}.ipynb");
        if (File.Exists(output))
        {
            Console.Error.WriteLine($"kernelgateway run: {output} exists; output notebooks are never overwritten");
            return 2;
        }

        await using var kernel = KernelLauncher.Start(spec, Path.Combine(dataDir, "runtime"), captureStderr: true);
        using var client = new KernelClient(kernel.Connection);
        using var cts = new CancellationTokenSource();
        var interrupts = 0;
        // The first Ctrl+C interrupts the kernel (the cell fails and the record is written); a second one stops waiting for it.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            if (Interlocked.Increment(ref interrupts) == 1) _ = kernel.InterruptAsync(client, CancellationToken.None);
            else cts.Cancel();
        };
        var writer = new OutputWriter(output);
        RunResult result;
        try
        {
            try
            {
                await client.WaitForReadyAsync(TimeSpan.FromSeconds(60), cancellationToken: cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                Console.Error.WriteLine(kernel.Process.HasExited
                    ? $"kernelgateway run: the kernel exited before it was ready (code {kernel.Process.ExitCode}){(kernel.LastWords.Length > 0 ? ":\n" + kernel.LastWords : "")}"
                    : "kernelgateway run: the kernel did not become ready");
                return 1;
            }
            result = await NotebookRunner.RunAsync(notebook, client, new RunOptions
            {
                Parameters = parameters, Language = language, AllowErrors = allowErrors, InputPath = input, OutputPath = output, EnvironmentVariables = environment,
                CellTimeout = cellTimeout ?? TimeSpan.FromMinutes(10), RunTimeout = runTimeout, ReportMode = reportMode,
            }, cts.Token, new RunHooks
            {
                KernelExited = kernel.Exited,
                KernelDeath = () => (kernel.LastWords, kernel.Process.HasExited ? kernel.Process.ExitCode : null),
                Checkpoint = writer.Write,
                Log = line => Console.Error.WriteLine(line),
                LogOutput = logOutput,
            });
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            Console.Error.WriteLine($"kernelgateway run: {e.Message}");
            return 2;
        }
        finally
        {
            try
            {
                if (!kernel.Process.HasExited)
                    client.Send(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(false), ProtocolJsonContext.Default.ShutdownContent));
            }
            catch (Exception) { }
        }
        Console.Out.WriteLine($"{(result.Succeeded ? "succeeded" : "FAILED")}: {result.CellsRun} cells run; output notebook: {Path.GetFullPath(output)}");
        if (!result.Succeeded) Console.Error.WriteLine($"failed cell: {result.Error}");
        return result.Succeeded ? 0 : 1;
    }
}
