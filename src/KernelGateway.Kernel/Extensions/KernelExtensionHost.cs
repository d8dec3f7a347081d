using System.Reflection;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Hosting;
using KernelGateway.Kernel.Magics;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Kernel.Extensions;

/// <summary>Loads extensions into a kernel: the one implementation of <see cref="IKernelExtensionContext"/>.</summary>
internal sealed class KernelExtensionHost(MagicRegistry magics, ICellPrelude prelude, ILogger log) : IKernelExtensionContext
{
    private readonly List<Func<ValueTask>> _shutdown = [];

    public MagicRegistry Magics => magics;

    public ILogger Log => log;

    public CancellationToken CurrentCellToken => ConsoleBridge.CurrentToken;

    /// <summary>Registers each extension; one that throws is logged and left out.</summary>
    public void Load(IEnumerable<IKernelExtension> extensions)
    {
        foreach (var extension in extensions)
        {
            try
            {
                extension.Register(this);
            }
            catch (Exception e)
            {
                log.LogError("extension {Name} failed to load and is left out: {Error}", extension.Name, e.Message);
            }
        }
    }

    public void Import(Assembly assembly, params string[] namespaces) => prelude.Import(assembly.Location, namespaces);

    public void Publish<T>(string name, T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^[A-Za-z_][A-Za-z0-9_]*$"))
            throw new ArgumentException($"'{name}' is not an identifier", nameof(name));
        if (!CellGlobals.TryAdd(name, value)) throw new ArgumentException($"'{name}' is already published", nameof(name));
        prelude.Import(typeof(T).Assembly.Location, []);
        prelude.Declare(name, typeof(T));
    }

    public void AddTabular<T>(Func<T, TabularResult> convert) where T : notnull => TabularConverters.Register(convert);

    public void OnShutdown(Func<ValueTask> dispose) => _shutdown.Add(dispose);

    /// <summary>Runs the shutdown steps, last registered first; a failing one is logged.</summary>
    public async ValueTask ShutdownAsync()
    {
        for (var i = _shutdown.Count - 1; i >= 0; i--)
        {
            try { await _shutdown[i]().ConfigureAwait(false); }
            catch (Exception e) { log.LogWarning("extension shutdown step failed: {Error}", e.Message); }
        }
    }
}
