using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KernelGateway.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's server binaries: initdb into a temporary directory (as the
/// <c>postgres</c> user when the tests run as root, since PostgreSQL refuses root), started with pg_ctl on a free
/// loopback port with scram-sha-256 auth, stopped and deleted on dispose. No test is skipped for its absence:
/// the test script installs the <c>postgresql</c> package.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "kgtest";

    private PostgresServer(string directory, int port, string password)
    {
        Directory = directory;
        Port = port;
        Password = password;
    }

    /// <summary>The cluster directory.</summary>
    public string Directory { get; }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The password of <see cref="User"/>.</summary>
    public string Password { get; }

    /// <summary>An Npgsql connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database=postgres;Pooling=false";

    /// <summary>The server binaries (the newest installed major version).</summary>
    public static string BinDirectory =>
        System.IO.Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
        ?? throw new InvalidOperationException("PostgreSQL server binaries are not installed (apt-get install postgresql)");

    /// <summary>Creates and starts a cluster.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "kg-pg-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var pwfile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(pwfile, password);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await Run("chown", ["-R", "postgres:postgres", root]);
        }
        var port = FreePort();
        var bin = BinDirectory;
        await RunAs(asRoot, Path.Combine(bin, "initdb"), ["-D", data, "-U", User, $"--pwfile={pwfile}", "-A", "scram-sha-256", "-E", "UTF8", "--locale=C"]);
        await RunAs(asRoot, Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} -c fsync=off", "start"]);
        return new PostgresServer(root, port, password);
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static Task RunAs(bool asRoot, string file, IReadOnlyList<string> args) =>
        asRoot ? Run("runuser", ["-u", "postgres", "--", file, .. args]) : Run(file, args);

    private static async Task Run(string file, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {await stderr}{await stdout}");
    }

    /// <summary>Stops the server (fast mode) and deletes the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAs(Environment.UserName == "root", Path.Combine(BinDirectory, "pg_ctl"), ["-D", Path.Combine(Directory, "data"), "-m", "fast", "-w", "stop"]);
        }
        catch (InvalidOperationException) { }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
