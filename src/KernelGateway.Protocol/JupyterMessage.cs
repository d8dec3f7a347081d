using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KernelGateway.Protocol;

/// <summary>
/// One Jupyter message: routing identities, header, parent header, metadata, content and binary buffers.
/// Header and parent header are kept as the JSON that was received, so a reply echoes the request's header
/// exactly (unknown keys included) as its parent.
/// </summary>
public sealed class JupyterMessage
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    private MessageHeader? _parent;
    private bool _parentParsed;
    private readonly Lazy<JsonElement> _content;

    /// <summary>Creates a message from its parts.</summary>
    public JupyterMessage(MessageHeader header, JsonElement headerJson, JsonElement parentHeaderJson, JsonElement metadata, JsonElement content)
        : this(header, headerJson, parentHeaderJson, metadata, new Lazy<JsonElement>(content.ValueKind == JsonValueKind.Object ? content : EmptyObject), null)
    {
    }

    private JupyterMessage(MessageHeader header, JsonElement headerJson, JsonElement parentHeaderJson, JsonElement metadata, Lazy<JsonElement> content, byte[]? contentUtf8)
    {
        Header = header;
        HeaderJson = headerJson;
        ParentHeaderJson = parentHeaderJson.ValueKind == JsonValueKind.Object ? parentHeaderJson : EmptyObject;
        Metadata = metadata.ValueKind == JsonValueKind.Object ? metadata : EmptyObject;
        _content = content;
        ContentUtf8 = contentUtf8;
    }

    /// <summary>
    /// The content as serialized when the message was created from a typed content, or as received from the wire
    /// (a JSON object, UTF-8): the encoders send these bytes as they are, and <see cref="Content"/> parses them only
    /// when read, so a multi-megabyte display or stream is written once, not written, parsed and written again.
    /// Null otherwise.
    /// </summary>
    internal byte[]? ContentUtf8 { get; }

    /// <summary>ZMQ routing identities (ROUTER sockets) or the topic (IOPub); empty when none.</summary>
    public IReadOnlyList<byte[]> Identities { get; init; } = [];

    /// <summary>The parsed header.</summary>
    public MessageHeader Header { get; }

    /// <summary>The header as JSON.</summary>
    public JsonElement HeaderJson { get; }

    /// <summary>The parent header as JSON; <c>{}</c> when there is no parent.</summary>
    public JsonElement ParentHeaderJson { get; }

    /// <summary>The metadata object.</summary>
    public JsonElement Metadata { get; }

    /// <summary>The content object.</summary>
    public JsonElement Content => _content.Value;

    /// <summary>Extra binary buffers after the content.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Buffers { get; init; } = [];

    /// <summary>The channel this message travelled on, when the transport says (WebSocket framing).</summary>
    public string? Channel { get; init; }

    /// <summary>The message type.</summary>
    public string MessageType => Header.MessageType;

    /// <summary>The parsed parent header, or null when the message has none.</summary>
    public MessageHeader? ParentHeader
    {
        get
        {
            if (!_parentParsed)
            {
                _parent = ParentHeaderJson.TryGetProperty("msg_id", out _)
                    ? TryParseHeader(ParentHeaderJson, requireType: false)
                    : null;
                _parentParsed = true;
            }
            return _parent;
        }
    }

    /// <summary>Deserializes the content as <typeparamref name="T"/>.</summary>
    /// <exception cref="JsonException">The content does not match <typeparamref name="T"/>.</exception>
    public T ContentAs<T>(JsonTypeInfo<T> typeInfo) =>
        Content.Deserialize(typeInfo) ?? throw new JsonException($"{MessageType} has null content");

    /// <summary>Creates a message with a typed content.</summary>
    public static JupyterMessage Create<T>(MessageHeader header, JupyterMessage? parent, T content, JsonTypeInfo<T> typeInfo, JsonElement? metadata = null)
    {
        var utf8 = JsonSerializer.SerializeToUtf8Bytes(content, typeInfo);
        if (utf8.Length == 0 || utf8[0] != (byte)'{') return Create(header, parent?.HeaderJson, JsonSerializer.SerializeToElement(content, typeInfo), metadata);
        return new(header, JsonSerializer.SerializeToElement(header, ProtocolJsonContext.Default.MessageHeader),
            parent?.HeaderJson ?? EmptyObject, metadata ?? EmptyObject, ParseWhenRead(utf8), utf8);
    }

    /// <summary>
    /// A message as decoded from the wire, its content kept as the bytes received (already checked to be a JSON
    /// object): forwarding it (the gateway, iopub fan-out) writes those bytes again without parsing them, and
    /// <see cref="Content"/> parses them only when read.
    /// </summary>
    internal static JupyterMessage FromWire(MessageHeader header, JsonElement headerJson, JsonElement parentHeaderJson, JsonElement metadata, byte[] contentUtf8,
        IReadOnlyList<byte[]> identities, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
        => new(header, headerJson, parentHeaderJson, metadata, ParseWhenRead(contentUtf8), contentUtf8) { Identities = identities, Buffers = buffers };

    /// <summary>The content object of <paramref name="utf8"/>, parsed on first use (depth ≤ 256, as the wire codec allows).</summary>
    private static Lazy<JsonElement> ParseWhenRead(byte[] utf8) => new(() =>
    {
        using var doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 256 });
        return doc.RootElement.Clone();
    });

    /// <summary>Creates a message from JSON content.</summary>
    public static JupyterMessage Create(MessageHeader header, JsonElement? parentHeaderJson, JsonElement content, JsonElement? metadata = null) =>
        new(header, JsonSerializer.SerializeToElement(header, ProtocolJsonContext.Default.MessageHeader),
            parentHeaderJson ?? EmptyObject, metadata ?? EmptyObject, content);

    /// <summary>A copy with other identities.</summary>
    public JupyterMessage WithIdentities(IReadOnlyList<byte[]> identities) =>
        new(Header, HeaderJson, ParentHeaderJson, Metadata, _content, ContentUtf8) { Identities = identities, Buffers = Buffers, Channel = Channel };

    /// <summary>A copy with a channel name.</summary>
    public JupyterMessage WithChannel(string? channel) =>
        new(Header, HeaderJson, ParentHeaderJson, Metadata, _content, ContentUtf8) { Identities = Identities, Buffers = Buffers, Channel = channel };

    /// <summary>
    /// Parses a header object; null when msg_id (or, with <paramref name="requireType"/>, msg_type) is missing,
    /// not a string, or not valid UTF-8.
    /// </summary>
    public static MessageHeader? TryParseHeader(JsonElement json, bool requireType = true)
    {
        try
        {
            return ParseHeader(json, requireType);
        }
        catch (InvalidOperationException)
        {
            return null; // a string that is not valid UTF-8
        }
    }

    private static MessageHeader? ParseHeader(JsonElement json, bool requireType)
    {
        if (json.ValueKind != JsonValueKind.Object) return null;
        string? Str(string name) =>
            json.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var id = Str("msg_id");
        var type = Str("msg_type");
        if (id is null || (type is null && requireType)) return null;
        return new MessageHeader
        {
            MessageId = id,
            MessageType = type ?? "",
            Session = Str("session") ?? "",
            Username = Str("username") ?? "",
            Date = Str("date") ?? "",
            Version = Str("version") ?? "",
            SubshellId = Str("subshell_id"),
        };
    }
}
