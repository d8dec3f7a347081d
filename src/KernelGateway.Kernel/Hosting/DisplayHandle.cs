using KernelGateway.Kernel.DotNetInteractive;
using KernelGateway.Kernel.Engine;
using Microsoft.DotNet.Interactive.Formatting;

namespace KernelGateway.Kernel.Hosting;

/// <summary>A display created by <c>display(...)</c> in a cell; <see cref="Update"/> replaces it in place (update_display_data).</summary>
public sealed class DisplayHandle
{
    private readonly IExecutionSink _origin;
    private readonly string[] _mimeTypes;

    internal DisplayHandle(IExecutionSink origin, string[] mimeTypes)
    {
        _origin = origin;
        _mimeTypes = mimeTypes;
    }

    /// <summary>The display id (<c>transient.display_id</c>).</summary>
    public string DisplayId { get; } = Guid.NewGuid().ToString("N");

    internal void Show(object? value, bool update)
    {
        var bundle = Bundle(value, _mimeTypes);
        (KernelServices.CurrentSink ?? _origin).Display(bundle, DisplayId, update);
    }

    internal static MimeBundle Bundle(object? value, string[] mimeTypes)
    {
        var formatted = mimeTypes.Length == 0 || value is null
            ? (IReadOnlyCollection<FormattedValue>)[]
            : FormattedValue.CreateManyFromObject(value, mimeTypes);
        return MimeBundles.FromValue(value, formatted);
    }

    /// <summary>Replaces what this display shows, wherever it is.</summary>
    public void Update(object? value) => Show(value, update: true);

    /// <inheritdoc />
    public override string ToString() => $"display {DisplayId}";
}
