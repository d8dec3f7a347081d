using System.Text;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Metastore;

namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>
/// Shift+Tab on a name in a SQL cell: a table (by its name, alias or dotted address) shows its kind, comment and
/// columns; a column (<c>t.col</c>, or a column of one of the statement's tables) shows its type, nullability,
/// comment and table. As text/plain and text/markdown.
/// </summary>
internal static class SqlInspector
{
    /// <summary>What the name at the cursor is, or null.</summary>
    public static async Task<MimeBundle?> InspectAsync(string sql, int offset, SqlNameSource names, SqlDialect dialect, string? preferredSchema, CancellationToken cancellationToken)
    {
        var chain = NameAt(sql, offset, dialect);
        if (chain.Count == 0) return null;
        var cursor = SqlCursor.At(sql, offset, dialect);
        if (chain is [var single] && cursor.Tables.FirstOrDefault(t => t.IsCalled(single)) is { } reference)
            return await TableAsync(reference.Parts, names, preferredSchema, cancellationToken).ConfigureAwait(false);
        if (chain.Count >= 2 && cursor.Tables.FirstOrDefault(t => t.IsCalled(chain[^2])) is { } owner)
            return await ColumnAsync(owner.Parts, chain[^1], names, preferredSchema, cancellationToken).ConfigureAwait(false);
        if (await TableAsync(chain, names, preferredSchema, cancellationToken).ConfigureAwait(false) is { } table) return table;
        if (chain.Count >= 2) return await ColumnAsync(chain.SkipLast(1).ToList(), chain[^1], names, preferredSchema, cancellationToken).ConfigureAwait(false);
        foreach (var t in cursor.Tables)
            if (await ColumnAsync(t.Parts, chain[0], names, preferredSchema, cancellationToken).ConfigureAwait(false) is { } column) return column;
        return null;
    }

    /// <summary>The dotted name the cursor is in or at the end of (<c>a.b.c</c> → [a, b, c]); empty when none.</summary>
    private static List<string> NameAt(string sql, int offset, SqlDialect dialect)
    {
        var tokens = SqlLexer.Tokenize(sql, dialect.Quote).Where(t => t.Kind != SqlTokenKind.Comment).ToList();
        var at = tokens.FindIndex(t => t.IsName && t.Start <= offset && offset <= t.End);
        if (at < 0) return [];
        var first = at;
        while (first >= 2 && tokens[first - 1].IsSymbol('.') && tokens[first - 2].IsName) first -= 2;
        var chain = new List<string>();
        for (var i = first; i <= at; i += 2) chain.Add(tokens[i].Name);
        return chain;
    }

    private static async Task<MimeBundle?> TableAsync(IReadOnlyList<string> parts, SqlNameSource names, string? preferredSchema, CancellationToken ct) =>
        parts.Count <= 3 && await names.ResolveAsync(parts, preferredSchema, ct).ConfigureAwait(false) is { } table ? Describe(table) : null;

    private static async Task<MimeBundle?> ColumnAsync(IReadOnlyList<string> tableParts, string column, SqlNameSource names, string? preferredSchema, CancellationToken ct)
    {
        if (tableParts.Count > 3 || await names.ResolveAsync(tableParts, preferredSchema, ct).ConfigureAwait(false) is not { } table) return null;
        var found = table.Columns.FirstOrDefault(c => c.Name == column) ?? table.Columns.FirstOrDefault(c => c.Name.Equals(column, StringComparison.OrdinalIgnoreCase));
        return found is null ? null : Describe(found, table);
    }

    private static MimeBundle Describe(MetastoreTable table)
    {
        var kind = table.Kind.ToString().ToLowerInvariant();
        var plain = new StringBuilder($"{table.Address} ({kind})\n");
        var markdown = new StringBuilder($"**{Escape(table.Address.ToString())}** ({kind})\n\n");
        if (table.Comment is { } comment)
        {
            plain.Append(comment).Append('\n');
            markdown.Append(Escape(comment)).Append("\n\n");
        }
        var width = table.Columns.Select(c => c.Name.Length).DefaultIfEmpty(4).Max();
        var typeWidth = table.Columns.Select(c => c.EngineType.Length).DefaultIfEmpty(4).Max();
        markdown.Append("| column | type | nullable | comment |\n|---|---|---|---|\n");
        foreach (var c in table.Columns)
        {
            plain.Append(CultureInvariant($"  {c.Name.PadRight(width)}  {c.EngineType.PadRight(typeWidth)}  {(c.Nullable ? "null" : "not null"),-8}  {c.Comment}").TrimEnd()).Append('\n');
            markdown.Append(CultureInvariant($"| {Escape(c.Name)} | {Escape(c.EngineType)} | {(c.Nullable ? "yes" : "no")} | {Escape(c.Comment ?? "")} |\n"));
        }
        return Bundle(plain.ToString(), markdown.ToString());
    }

    private static MimeBundle Describe(MetastoreColumn column, MetastoreTable table)
    {
        var nullable = column.Nullable ? "nullable" : "not null";
        var plain = $"{column.Address}: {column.EngineType}, {nullable}\n{(column.Comment is { } c ? c + "\n" : "")}column {column.Position} of {table.Address} ({table.Kind.ToString().ToLowerInvariant()})\n";
        var markdown = $"**{Escape(column.Name)}** `{column.EngineType}`, {nullable}\n\n{(column.Comment is { } d ? Escape(d) + "\n\n" : "")}column {column.Position} of **{Escape(table.Address.ToString())}**\n";
        return Bundle(plain, markdown);
    }

    private static MimeBundle Bundle(string plain, string markdown) =>
        new(new System.Text.Json.Nodes.JsonObject { ["text/plain"] = plain, ["text/markdown"] = markdown }, new());

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>Markdown's special characters escaped, and table cells kept on one line.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (ch is '\\' or '`' or '*' or '_' or '|' or '[' or ']' or '<' or '>' or '#') sb.Append('\\');
            sb.Append(ch is '\n' or '\r' ? ' ' : ch);
        }
        return sb.ToString();
    }
}
