namespace KernelGateway.Protocol.Messages;

/// <summary><c>kernel_info_reply</c> content.</summary>
public sealed record KernelInfoReply
{
    /// <summary>Always <c>ok</c>.</summary>
    public string Status { get; init; } = "ok";
    /// <summary>The protocol version the kernel speaks.</summary>
    public string ProtocolVersion { get; init; } = ProtocolInfo.Version;
    /// <summary>The kernel implementation name.</summary>
    public required string Implementation { get; init; }
    /// <summary>The implementation version.</summary>
    public required string ImplementationVersion { get; init; }
    /// <summary>The language.</summary>
    public required LanguageInfo LanguageInfo { get; init; }
    /// <summary>A banner for consoles.</summary>
    public string Banner { get; init; } = "";
    /// <summary>Links shown in a frontend's help menu.</summary>
    public List<HelpLink> HelpLinks { get; init; } = [];
    /// <summary>Whether a debugger is offered (deprecated; see supported_features).</summary>
    public bool Debugger { get; init; }
    /// <summary>Optional features, e.g. <c>debugger</c>, <c>kernel subshells</c>.</summary>
    public List<string> SupportedFeatures { get; init; } = [];
}

/// <summary>The language block of kernel_info_reply.</summary>
public sealed record LanguageInfo
{
    /// <summary>Language name.</summary>
    public required string Name { get; init; }
    /// <summary>Language version.</summary>
    public required string Version { get; init; }
    /// <summary>MIME type of source files.</summary>
    public required string Mimetype { get; init; }
    /// <summary>Extension of source files, with the dot.</summary>
    public required string FileExtension { get; init; }
    /// <summary>Pygments lexer name.</summary>
    public required string PygmentsLexer { get; init; }
    /// <summary>CodeMirror mode.</summary>
    public required string CodemirrorMode { get; init; }
    /// <summary>nbconvert exporter.</summary>
    public string NbconvertExporter { get; init; } = "script";
}

/// <summary>A help menu entry.</summary>
public sealed record HelpLink(string Text, string Url);
