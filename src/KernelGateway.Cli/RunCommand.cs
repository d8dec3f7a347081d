using System.Text.Json.Nodes;
using KernelGateway.Kernel.KernelSpecs;
using KernelGateway.Kernel.Routing;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Cli;

/// <summary>
/// <c>kernelgateway run notebook.ipynb [-o out.ipynb] [-p name value]... [--allow-errors] [--kernel name]</c>:
/// executes a notebook headless on a real kernel and writes a new output notebook (never over an existing
/// file; by default under <c>{data}/runs/</c>). Exit code 0 when every cell succeeded, 1 when one failed.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new UsageException("run needs a notebook path");
        var input = args[0];
        var parameters = new Dictionary<string, string>();
        string? output = null, kernelName = null;
        var allowErrors = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output" when i + 1 < args.Length: output = args[++i]; break;
                case "-p" or "--parameter" when i + 2 < args.Length: parameters[args[i + 1]] = args[i + 2]; i += 2; break;
                case "--kernel" when i + 1 < args.Length: kernelName = args[++i]; break;
                case "--allow-errors": allowErrors = true; break;
                default: throw new UsageException($"run: unexpected '{args[i]}'");
            }
        }
        foreach (var name in parameters.Keys)
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^[A-Za-z_]\w*$")) throw new UsageException($"parameter name '{name}' is not an identifier");

        NotebookDocument notebook;
        try { notebook = NotebookDocument.Load(input); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
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

        await using var kernel = KernelLauncher.Start(spec, Path.Combine(dataDir, "runtime"));
        using var client = new KernelClient(kernel.Connection);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        RunResult result;
        try
        {
            await client.WaitForReadyAsync(TimeSpan.FromSeconds(60), cancellationToken: cts.Token);
            result = await NotebookRunner.RunAsync(notebook, client, new RunOptions { Parameters = parameters, AllowErrors = allowErrors }, cts.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine(kernel.Process.HasExited ? $"kernelgateway run: the kernel exited (code {kernel.Process.ExitCode})" : "kernelgateway run: cancelled");
            return 1;
        }
        finally
        {
            try
            {
                client.Send(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(false), ProtocolJsonContext.Default.ShutdownContent));
            }
            catch (Exception) { }
        }
        result.Output.SaveNew(output);
        Console.Out.WriteLine($"{(result.Succeeded ? "succeeded" : "FAILED")}: {result.CellsRun} cells run; output notebook: {Path.GetFullPath(output)}");
        if (!result.Succeeded) Console.Error.WriteLine($"failed cell: {result.Error}");
        return result.Succeeded ? 0 : 1;
    }
}
