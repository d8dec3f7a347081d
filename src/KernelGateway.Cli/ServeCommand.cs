using System.CommandLine;
using System.Security.Cryptography;
using KernelGateway.Gateway.Options;
using Microsoft.Extensions.Hosting;
using KernelGateway.Kernel.KernelSpecs;
using KernelGateway.Kernel.Routing;

namespace KernelGateway.Cli;

/// <summary>
/// <c>kernelgateway serve</c>: the Jupyter Kernel Gateway-compatible server on the embedded defaults (127.0.0.1:8888).
/// Options override the <c>KG_*</c> environment variables; culling also under Jupyter Server's
/// <c>--MappingKernelManager.cull_*</c> names. With no token configured one is generated and printed with the URL,
/// as Jupyter does. Ctrl+C shuts the kernels down cleanly.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = CliOptions.AtLeast(0, "--port", "The port (8888; KG_PORT; 0: any free port)", max: 65535);
        var ip = new Option<string>("--ip") { Description = "The address to listen on (127.0.0.1; KG_IP)", HelpName = "A" };
        var baseUrl = new Option<string>("--base-url") { Description = "The URL prefix of every route (KG_BASE_URL)", HelpName = "P" };
        var token = new Option<string>("--token") { Description = "The token clients must present (KG_AUTH_TOKEN; generated and printed when none)", HelpName = "T" };
        var defaultKernel = new Option<string>("--default-kernel") { Description = "The kernelspec used when a request names none (.net-csharp; KG_DEFAULT_KERNEL_NAME)", HelpName = "K" };
        var listKernels = new Option<bool>("--list-kernels") { Description = "Let GET /api/kernels and /api/sessions answer (KG_LIST_KERNELS)" };
        var maxKernels = CliOptions.AtLeast(1, "--max-kernels", "The most kernels at once (KG_MAX_KERNELS)");
        var prespawn = CliOptions.AtLeast(0, "--prespawn", "Warm kernels of the default kernelspec kept ready (KG_PRESPAWN_COUNT)");
        var cullIdle = CliOptions.Seconds("--cull-idle-timeout", "Shut down kernels idle this long (off by default; KG_CULL_IDLE_TIMEOUT)", "--MappingKernelManager.cull_idle_timeout");
        var cullInterval = CliOptions.Seconds("--cull-interval", "How often idle kernels are looked for (300; KG_CULL_INTERVAL)", "--MappingKernelManager.cull_interval");
        var cullConnected = new Option<bool?>("--cull-connected", "--MappingKernelManager.cull_connected") { Description = "Cull kernels with WebSockets open too (KG_CULL_CONNECTED)", Arity = ArgumentArity.ZeroOrOne };
        var cullBusy = new Option<bool?>("--cull-busy", "--MappingKernelManager.cull_busy") { Description = "Cull busy kernels too (KG_CULL_BUSY)", Arity = ArgumentArity.ZeroOrOne };
        var metricsPublic = new Option<bool>("--metrics-public") { Description = "Serve GET /metrics without the token (KG_METRICS_PUBLIC)" };
        var command = new Command("serve", "The Jupyter Kernel Gateway-compatible server (127.0.0.1:8888 by default), with the notebook scheduler")
        {
            port, ip, baseUrl, token, defaultKernel, listKernels, maxKernels, prespawn, cullIdle, cullInterval, cullConnected, cullBusy, metricsPublic,
        };
        command.SetAction((parse, _) =>
        {
            var options = GatewayOptions.FromEnvironment();
            if (parse.GetValue(port) is { } p) options.Port = p;
            if (parse.GetValue(ip) is { } i) options.IP = i;
            if (parse.GetValue(baseUrl) is { } b) options.BaseUrl = b;
            if (parse.GetValue(token) is { } t) options.AuthToken = t;
            if (parse.GetValue(defaultKernel) is { } k) options.DefaultKernelName = k;
            if (parse.GetValue(listKernels)) options.ListKernels = true;
            if (parse.GetValue(maxKernels) is { } m) options.MaxKernels = m;
            if (parse.GetValue(prespawn) is { } n) options.PrespawnCount = n;
            if (parse.GetValue(cullIdle) is { } ci) options.CullIdleTimeout = ci;
            if (parse.GetValue(cullInterval) is { } cv) options.CullInterval = cv;
            if (parse.GetResult(cullConnected) is not null) options.CullConnected = parse.GetValue(cullConnected) ?? true;
            if (parse.GetResult(cullBusy) is not null) options.CullBusy = parse.GetValue(cullBusy) ?? true;
            if (parse.GetValue(metricsPublic)) options.MetricsPublic = true;
            return RunAsync(options, defaultKernelGiven: parse.GetResult(defaultKernel) is not null);
        });
        return command;
    }

    private static async Task<int> RunAsync(GatewayOptions options, bool defaultKernelGiven)
    {
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
        if (Environment.GetEnvironmentVariable("KG_DEFAULT_KERNEL_NAME") is null && !defaultKernelGiven)
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
