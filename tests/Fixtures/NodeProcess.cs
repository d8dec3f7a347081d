using System.Diagnostics;

namespace KernelGateway.Tests.Fixtures;

/// <summary>Runs <c>node</c> for the npm cross-checkers of tests/node (Trino, Presto, Spark Connect).</summary>
internal static class NodeProcess
{
    /// <summary>Runs <c>node</c> with <paramref name="args"/> in <paramref name="directory"/> and returns its stdout; a cancelled token kills it.</summary>
    /// <exception cref="InvalidOperationException">node exited with a non-zero code.</exception>
    public static async Task<string> RunAsync(string directory, IEnumerable<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"node exited {p.ExitCode}: {await stderr}");
        return await stdout;
    }
}
