namespace KernelGateway.Tests.Fixtures.Trino.Sql;

/// <summary>Classifies a Trino statement by its leading keywords; SHOW statements become SELECTs over DuckDB's catalog.</summary>
internal static class StatementParser
{
    public static TrinoStatement Parse(string sql, string catalog, string schema)
    {
        sql = sql.TrimEnd().TrimEnd(';').TrimEnd();
        var t = SqlLexer.Significant(sql);
        if (t.Count == 0) return new TrinoStatement(StatementKind.Query, sql);
        string W(int i) => i < t.Count ? t[i].Text.ToUpperInvariant() : "";
        string After(int i) => i < t.Count ? sql[t[i].Start..].Trim() : "";
        return (W(0), W(1)) switch
        {
            ("SELECT" or "WITH" or "VALUES" or "TABLE" or "FROM" or "(" or "EXPLAIN", _) => new(StatementKind.Query, sql),
            ("USE", _) => Use(t, sql),
            ("SET", "SESSION") => SetSession(t, sql),
            ("RESET", "SESSION") => new(StatementKind.ResetSession, sql, "RESET SESSION", Name: Dotted(t, 2, out _)),
            ("PREPARE", _) when W(2) == "FROM" => new(StatementKind.Prepare, sql, "PREPARE", Name: t[1].Identifier, Value: After(3)),
            ("DEALLOCATE", "PREPARE") => new(StatementKind.Deallocate, sql, "DEALLOCATE", Name: t[2].Identifier),
            ("EXECUTE", _) => Execute(t, sql),
            ("START", "TRANSACTION") => new(StatementKind.StartTransaction, sql, "START TRANSACTION"),
            ("COMMIT", _) => new(StatementKind.Commit, sql, "COMMIT"),
            ("ROLLBACK", _) => new(StatementKind.Rollback, sql, "ROLLBACK"),
            ("SHOW", "CATALOGS") => Show(sql, ShowCatalogs(Like(t, 2))),
            ("SHOW", "SCHEMAS") => Show(sql, ShowSchemas(W(2) is "FROM" or "IN" ? t[3].Identifier : catalog, Like(t, W(2) is "FROM" or "IN" ? 4 : 2))),
            ("SHOW", "TABLES") => ShowTables(t, catalog, schema),
            ("SHOW", "CREATE") when W(2) == "TABLE" => new(StatementKind.ShowCreateTable, sql, Name: string.Join('\u001f', Parts(t, 3))),
            ("SHOW", "COLUMNS") => new(StatementKind.ShowColumns, sql, Name: Dotted(t, 3, out _)),
            ("DESCRIBE" or "DESC", _) when W(1) is not ("INPUT" or "OUTPUT") => new(StatementKind.ShowColumns, sql, Name: Dotted(t, 1, out _)),
            ("SHOW", "FUNCTIONS") => Show(sql, "SELECT DISTINCT function_name AS \"Function\" FROM duckdb_functions() ORDER BY 1"),
            ("SHOW", "SESSION") => Show(sql, "SELECT name AS \"Name\", value AS \"Value\", value AS \"Default\", input_type AS \"Type\", description AS \"Description\" FROM duckdb_settings() WHERE false"),
            _ => new(StatementKind.Update, sql, UpdateType(t)),
        };
    }

    private static TrinoStatement Show(string sql, string select) => new(StatementKind.Query, select, Value: sql);

    private static TrinoStatement Use(List<SqlToken> t, string sql)
    {
        var first = t[1].Identifier;
        return t.Count > 3 && t[2].IsSymbol(".")
            ? new(StatementKind.Use, sql, "USE", Name: first, Value: t[3].Identifier)
            : new(StatementKind.Use, sql, "USE", Name: null, Value: first);
    }

    private static TrinoStatement SetSession(List<SqlToken> t, string sql)
    {
        var name = Dotted(t, 2, out var next);
        var value = next + 1 < t.Count ? sql[t[next + 1].Start..].Trim() : "";
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') value = value[1..^1].Replace("''", "'");
        return new(StatementKind.SetSession, sql, "SET SESSION", Name: name, Value: value);
    }

    /// <summary>EXECUTE name [USING a, …], or EXECUTE IMMEDIATE 'sql' [USING a, …] (the text in <see cref="TrinoStatement.Value"/>).</summary>
    private static TrinoStatement Execute(List<SqlToken> t, string sql)
    {
        var immediate = t.Count > 2 && t[1].Is("immediate") && t[2].Kind == SqlTokenKind.String;
        var name = immediate ? "" : t[1].Identifier;
        var usingAt = immediate ? 3 : 2;
        var args = new List<string>();
        if (t.Count > usingAt && t[usingAt].Is("using"))
        {
            var depth = 0;
            var start = t[usingAt + 1].Start;
            for (var i = usingAt + 1; i < t.Count; i++)
            {
                if (t[i].IsSymbol("(") || t[i].IsSymbol("[")) depth++;
                else if (t[i].IsSymbol(")") || t[i].IsSymbol("]")) depth--;
                else if (depth == 0 && t[i].IsSymbol(","))
                {
                    args.Add(sql[start..t[i].Start].Trim());
                    start = t[i].Start + 1;
                }
            }
            args.Add(sql[start..].Trim());
        }
        return new(StatementKind.Execute, sql, Name: name, Value: immediate ? t[2].StringValue : null, Arguments: args);
    }

    /// <summary>The parts of a dotted name (quoted ones as written, unquoted ones lower-cased), for names that may hold dots.</summary>
    private static List<string> Parts(List<SqlToken> t, int i)
    {
        var parts = new List<string>();
        while (i < t.Count && t[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            parts.Add(t[i].Kind == SqlTokenKind.QuotedIdentifier ? t[i].Identifier : t[i].Text.ToLowerInvariant());
            if (++i < t.Count && t[i].IsSymbol(".")) i++;
            else break;
        }
        return parts;
    }

    private static string Dotted(List<SqlToken> t, int i, out int next)
    {
        var parts = new List<string>();
        while (i < t.Count && t[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            parts.Add(t[i].Kind == SqlTokenKind.QuotedIdentifier ? t[i].Identifier : t[i].Text.ToLowerInvariant());
            i++;
            if (i < t.Count && t[i].IsSymbol(".")) i++;
            else break;
        }
        next = i;
        return string.Join('.', parts);
    }

    private static string? Like(List<SqlToken> t, int i) =>
        i + 1 < t.Count && t[i].Is("like") && t[i + 1].Kind == SqlTokenKind.String ? t[i + 1].Text : null;

    private static string ShowCatalogs(string? like) =>
        "SELECT \"Catalog\" FROM (SELECT database_name AS \"Catalog\" FROM duckdb_databases() WHERE NOT internal UNION SELECT 'system')"
        + (like is null ? "" : $" WHERE \"Catalog\" LIKE {like}") + " ORDER BY 1";

    private static string ShowSchemas(string catalog, string? like) =>
        "SELECT \"Schema\" FROM (SELECT schema_name AS \"Schema\" FROM duckdb_schemas() WHERE database_name = " + Quote(catalog)
        + " AND schema_name <> 'main' UNION SELECT 'information_schema')" + (like is null ? "" : $" WHERE \"Schema\" LIKE {like}") + " ORDER BY 1";

    private static TrinoStatement ShowTables(List<SqlToken> t, string catalog, string schema)
    {
        var i = 2;
        if (i < t.Count && (t[i].Is("from") || t[i].Is("in")))
        {
            var parts = Dotted(t, i + 1, out i).Split('.');
            (catalog, schema) = parts.Length > 1 ? (parts[0], parts[1]) : (catalog, parts[0]);
        }
        var like = Like(t, i);
        var select = "SELECT table_name AS \"Table\" FROM duckdb_tables() WHERE database_name = " + Quote(catalog) + " AND schema_name = " + Quote(schema)
            + " UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = " + Quote(catalog) + " AND schema_name = " + Quote(schema);
        select = "SELECT \"Table\" FROM (" + select + ")" + (like is null ? "" : $" WHERE \"Table\" LIKE {like}") + " ORDER BY 1";
        return Show(string.Join(' ', t.Select(x => x.Text)), select);
    }

    /// <summary>A SQL string literal.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    private static string UpdateType(List<SqlToken> t)
    {
        string W(int i) => i < t.Count ? t[i].Text.ToUpperInvariant() : "";
        return W(0) switch
        {
            "CREATE" or "DROP" when W(1) is "OR" => $"{W(0)} {W(3)}",
            "CREATE" or "DROP" or "ALTER" when W(1) is "TABLE" or "SCHEMA" or "VIEW" or "MATERIALIZED" or "ROLE" => $"{W(0)} {W(1)}",
            "TRUNCATE" => "TRUNCATE TABLE",
            "INSERT" or "UPDATE" or "DELETE" or "MERGE" or "COMMENT" or "GRANT" or "REVOKE" or "CALL" or "ANALYZE" => W(0),
            _ => W(0),
        };
    }
}
