namespace KernelGateway.Platform.Metastore;

/// <summary>How search matches and ranks names.</summary>
internal static class MetastoreSearch
{
    /// <summary>The entries whose name or comment contains the text (ignoring case), with how they matched.</summary>
    public static List<MetastoreSearchHit> Match(IReadOnlyList<MetastoreName> entries, string text)
    {
        var hits = new List<MetastoreSearchHit>();
        foreach (var entry in entries)
        {
            var name = entry.Address.Name;
            MetastoreMatch? match = name.Equals(text, StringComparison.OrdinalIgnoreCase) ? MetastoreMatch.ExactName
                : name.StartsWith(text, StringComparison.OrdinalIgnoreCase) ? MetastoreMatch.NamePrefix
                : name.Contains(text, StringComparison.OrdinalIgnoreCase) ? MetastoreMatch.NameSubstring
                : entry.Comment?.Contains(text, StringComparison.OrdinalIgnoreCase) == true ? MetastoreMatch.Comment
                : null;
            if (match is { } m) hits.Add(new MetastoreSearchHit(entry.Address, entry.TableKind, entry.Comment, m));
        }
        return hits;
    }

    /// <summary>Best first: by match, then schemas before tables before columns, then by address; at most <paramref name="limit"/>.</summary>
    public static List<MetastoreSearchHit> Rank(IEnumerable<MetastoreSearchHit> hits, int limit) =>
        hits.OrderBy(h => h.Match).ThenBy(h => h.Level).ThenBy(h => h.Address.ToString(), StringComparer.Ordinal).Take(limit).ToList();
}
