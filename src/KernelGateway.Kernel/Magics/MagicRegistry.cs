using System.Collections.Concurrent;

namespace KernelGateway.Kernel.Magics;

/// <summary>The registered magics, by name.</summary>
public sealed class MagicRegistry
{
    private readonly ConcurrentDictionary<string, IMagic> _magics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ICellIntrospector> _introspectors = new(StringComparer.Ordinal);

    /// <summary>Adds (or replaces) a magic.</summary>
    public MagicRegistry Add(IMagic magic)
    {
        _magics[magic.Name] = magic;
        return this;
    }

    /// <summary>Finds a magic that may stand where asked.</summary>
    public bool TryGet(string name, MagicKinds kind, out IMagic magic)
    {
        if (_magics.TryGetValue(name, out var m) && m.Kinds.HasFlag(kind))
        {
            magic = m;
            return true;
        }
        magic = null!;
        return false;
    }

    /// <summary>Adds (or replaces) what completes and inspects the body of the cell magic <paramref name="cellMagic"/> (a name without <c>%%</c>).</summary>
    public MagicRegistry AddIntrospector(string cellMagic, ICellIntrospector introspector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cellMagic);
        ArgumentNullException.ThrowIfNull(introspector);
        _introspectors[cellMagic] = introspector;
        return this;
    }

    /// <summary>What completes and inspects the body of a cell magic, when something was added for it.</summary>
    public bool TryGetIntrospector(string cellMagic, out ICellIntrospector introspector) => _introspectors.TryGetValue(cellMagic, out introspector!);

    /// <summary>All magics, by name.</summary>
    public IReadOnlyList<IMagic> All => _magics.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    /// <summary>A registry with the built-in magics: lsmagic, time, pinfo, who, whos.</summary>
    public static MagicRegistry CreateDefault() => new MagicRegistry()
        .Add(new LsMagic())
        .Add(new TimeMagic())
        .Add(new PinfoMagic())
        .Add(new WhoMagic(detailed: false))
        .Add(new WhoMagic(detailed: true))
        .Add(new GlueMagic());
}
