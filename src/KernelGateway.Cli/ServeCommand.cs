using System.Security.Cryptography;
using KernelGateway.Gateway.Options;
using Microsoft.Extensions.Hosting;
using KernelGateway.Kernel.KernelSpecs;
using KernelGateway.Kernel.Routing;

namespace KernelGateway.Cli;

/// <summary>
/// <c>kernelgateway serve [--port N] [--ip A] [--base-url P] [--token T] [--default-kernel K] [--list-kernels] [--max-kernels N]
/// [--prespawn N] [--cull-idle-timeout S] [--cull-interval S] [--cull-connected] [--cull-busy]</c>:
/// the Jupyter Kernel Gateway-compatible server on the embedded defaults (127.0.0.1:8888). Options override the
/// <c>KG_*</c> environment variables. With no token configured one is generated and printed with the URL, as
/// Jupyter does. Ctrl+C shuts the kernels down cleanly.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = GatewayOptions.FromEnvironment();
        // --name=value is accepted as well as --name value; Jupyter's --MappingKernelManager.cull_* names too.
        args = args.SelectMany(a => a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is > 2 and var eq ? new[] { a[..eq], a[(eq + 1)..] } : [a]).ToArray();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            TimeSpan Seconds()
            {
                var name = args[i];
                try { return GatewayOptions.Seconds(name, Value()); }
                catch (FormatException e) { throw new UsageException(e.Message); }
            }
            bool Flag() => i + 1 < args.Length && args[i + 1] is "true" or "false" or "True" or "False" ? bool.Parse(args[++i]) : true;
            switch (args[i])
            {
                case "--cull-idle-timeout" or "--MappingKernelManager.cull_idle_timeout": options.CullIdleTimeout = Seconds(); break;
                case "--cull-interval" or "--MappingKernelManager.cull_interval": options.CullInterval = Seconds(); break;
                case "--cull-connected" or "--MappingKernelManager.cull_connected": options.CullConnected = Flag(); break;
                case "--cull-busy" or "--MappingKernelManager.cull_busy": options.CullBusy = Flag(); break;
                case "--port": options.Port = int.TryParse(Value(), out var p) && p is >= 0 and <= 65535 ? p : throw new UsageException("--port needs a port number"); break;
                case "--ip": options.IP = Value(); break;
                case "--base-url": options.BaseUrl = Value(); break;
                case "--token": options.AuthToken = Value(); break;
                case "--default-kernel": options.DefaultKernelName = Value(); break;
                case "--list-kernels": options.ListKernels = true; break;
                case "--max-kernels": options.MaxKernels = int.TryParse(Value(), out var m) && m > 0 ? m : throw new UsageException("--max-kernels needs a positive number"); break;
                case "--prespawn": options.PrespawnCount = int.TryParse(Value(), out var n) && n >= 0 ? n : throw new UsageException("--prespawn needs a number"); break;
                default: throw new UsageException($"serve: unknown option '{args[i]}'");
            }
        }
        // Our C# kernel is always offered: when no .net-csharp kernelspec is installed, one for this very build
        // is written under the data directory and put on JUPYTER_PATH, and it is the default kernel unless
        // KG_DEFAULT_KERNEL_NAME (or --default-kernel) says otherwise.
        if (KernelGateway.Notebooks.Kernels.KernelSpecCatalog.Find(KernelSpecInstaller.DefaultName) is null)
        {
            var prefix = Path.Combine(KernelOptions.DefaultDataDirectory(), "jupyter");
            KernelSpecInstaller.Install(InstallScope.Prefix, prefix);
            var jupyterPath = Path.Combine(prefix, "share", "jupyter");
            var existing = Environment.GetEnvironmentVariable("JUPYTER_PATH");
            Environment.SetEnvironmentVariable("JUPYTER_PATH", string.IsNullOrEmpty(existing) ? jupyterPath : jupyterPath + Path.PathSeparator + existing);
        }
        if (Environment.GetEnvironmentVariable("KG_DEFAULT_KERNEL_NAME") is null && !args.Contains("--default-kernel"))
            options.DefaultKernelName = KernelSpecInstaller.DefaultName;
        var generated = string.IsNullOrEmpty(options.AuthToken);
        if (generated) options.AuthToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

        try { options.Validate(); }
        catch (ArgumentOutOfRangeException e) { throw new UsageException(e.Message.Split(Environment.NewLine)[0]); }
        var app = KernelGateway.Gateway.Program.CreateApp(options);
        await app.StartAsync();
        var address = app.Urls.FirstOrDefault() ?? $"http://{options.IP}:{options.Port}";
        var baseUrl = address.TrimEnd('/') + options.BasePath.TrimEnd('/');
        Console.Out.WriteLine($"KernelGateway is serving kernels at {baseUrl}/api");
        Console.Out.WriteLine(generated
            ? $"    {baseUrl}/api/kernelspecs?token={options.AuthToken}\n    (token generated for this run; set KG_AUTH_TOKEN or --token to choose one)"
            : "    (token from KG_AUTH_TOKEN / --token)");
        Console.Out.WriteLine("Press Ctrl+C to stop; running kernels are shut down.");
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }
}
