using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>How a search hit matched, best first; results are ranked in this order.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetastoreMatch>))]
public enum MetastoreMatch
{
    /// <summary>The name equals the text (ignoring case).</summary>
    ExactName,

    /// <summary>The name starts with the text (ignoring case).</summary>
    NamePrefix,

    /// <summary>The name contains the text (ignoring case).</summary>
    NameSubstring,

    /// <summary>The comment contains the text (ignoring case).</summary>
    Comment,
}
