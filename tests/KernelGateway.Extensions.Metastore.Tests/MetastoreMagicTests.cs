using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Metastore.Tests;

/// <summary>
/// <c>%metastore</c> and the preloaded <c>Metastore</c> through a real kernel process, over the embedded DuckDB
/// warehouse, a real PostgreSQL cluster and a connection whose server is down. Every cell's reply and iopub messages
/// are checked for the connections' passwords.
/// </summary>
public sealed class MetastoreMagicTests(MetastoreKernelFixture fixture) : IClassFixture<MetastoreKernelFixture>
{
    private async Task<RequestOutcome> Run(string code)
    {
        var outcome = await fixture.Client.ExecuteAsync(code, cancellationToken: Soon());
        var everything = outcome.Reply.Content.GetRawText() + string.Concat(outcome.IOPub.Select(m => m.Content.GetRawText()));
        Assert.DoesNotContain(fixture.Postgres.Password, everything);
        Assert.DoesNotContain(MetastoreKernelFixture.DownPassword, everything);
        return outcome;
    }

    private async Task<RequestOutcome> Ok(string code)
    {
        var outcome = await Run(code);
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        return outcome;
    }

    private static List<JsonElement> Resources(RequestOutcome outcome) => outcome.OfType(MessageTypes.DisplayData)
        .Select(m => m.Content.GetProperty("data"))
        .Where(d => d.TryGetProperty("application/vnd.dataresource+json", out _))
        .Select(d => d.GetProperty("application/vnd.dataresource+json")).ToList();

    private static List<string> Texts(RequestOutcome outcome) => outcome.OfType(MessageTypes.DisplayData)
        .Select(m => m.Content.GetProperty("data"))
        .Where(d => !d.TryGetProperty("application/vnd.dataresource+json", out _))
        .Select(d => d.GetProperty("text/plain").GetString()!).ToList();

    private static List<JsonElement> Rows(JsonElement resource) => resource.GetProperty("data").EnumerateArray().ToList();

    private static List<string?> Column(JsonElement resource, string name) =>
        Rows(resource).Select(r => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).ToString()).ToList();

    private static string ErrorText(RequestOutcome outcome) => outcome.Reply.Content.GetProperty("ename").GetString() + ": " + outcome.Reply.Content.GetProperty("evalue").GetString();

    [Fact]
    public async Task Metastore_alone_lists_every_connection_with_its_catalogs_and_an_error_entry_for_the_one_that_is_down()
    {
        var outcome = await Ok("%metastore");
        var table = Assert.Single(Resources(outcome));
        var rows = Rows(table).ToDictionary(r => r.GetProperty("connection").GetString()!);
        Assert.Equal("memory", rows["warehouse"].GetProperty("catalogs").GetString());
        Assert.Equal("memory", rows["warehouse"].GetProperty("default_catalog").GetString());
        Assert.Contains("postgres", rows["pg"].GetProperty("catalogs").GetString()!.Split(", "));
        Assert.Equal("postgres", rows["down"].GetProperty("kind").GetString());
        Assert.Equal("", rows["down"].GetProperty("catalogs").GetString());
        var errors = Assert.Single(Texts(outcome));
        Assert.StartsWith("Not answered:", errors);
        Assert.Contains("down (failed): ", errors);
        Assert.DoesNotContain("pg (", errors);
        Assert.Contains("<table", outcome.OfType(MessageTypes.DisplayData).First().Content.GetProperty("data").GetProperty("text/html").GetString());
    }

    [Fact]
    public async Task Catalogs_of_one_connection_answer_alone_and_of_all_connections_carry_the_down_ones_error()
    {
        var pg = await Ok("%metastore catalogs pg");
        var table = Assert.Single(Resources(pg));
        var row = Assert.Single(Rows(table), r => r.GetProperty("catalog").GetString() == "postgres");
        Assert.Equal("pg.postgres", row.GetProperty("address").GetString());
        Assert.True(row.GetProperty("is_default").GetBoolean());
        Assert.Empty(Texts(pg));

        var all = await Ok("%metastore catalogs");
        Assert.Contains("warehouse.memory", Column(Assert.Single(Resources(all)), "address"));
        Assert.Contains("down (failed): ", Assert.Single(Texts(all)));
    }

    [Fact]
    public async Task Schemas_and_tables_list_on_duckdb_and_postgres_and_like_filters_table_names_ignoring_case()
    {
        Assert.Contains("main", Column(Assert.Single(Resources(await Ok("%metastore schemas warehouse.memory"))), "schema"));
        Assert.Contains("public", Column(Assert.Single(Resources(await Ok("%metastore schemas pg.postgres"))), "schema"));

        var warehouse = Assert.Single(Resources(await Ok("%metastore tables warehouse.memory.main")));
        Assert.Contains("sessions", Column(warehouse, "table"));
        Assert.Contains("titles", Column(warehouse, "table"));

        var pg = Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public")));
        var plays = Assert.Single(Rows(pg), r => r.GetProperty("table").GetString() == "plays");
        Assert.Equal("table", plays.GetProperty("kind").GetString());
        Assert.Equal("Streaming plays by device", plays.GetProperty("comment").GetString());

        Assert.Equal(["Play Log", "players", "plays"], Column(Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public --like PL%"))), "table").Order(StringComparer.Ordinal));
        Assert.Equal(["plays"], Column(Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public --like play_"))), "table"));
        Assert.Equal(["titles"], Column(Assert.Single(Resources(await Ok("%metastore tables warehouse.memory.main --like %ITLE%"))), "table"));
        Assert.Empty(Rows(Assert.Single(Resources(await Ok("%metastore tables warehouse.main --like nothing_like_this")))));
    }

    [Fact]
    public async Task Describe_shows_a_heading_then_the_columns_with_types_and_comments()
    {
        var sessions = await Ok("%metastore describe warehouse.main.sessions");
        Assert.StartsWith("warehouse.memory.main.sessions (", Texts(sessions)[0]);
        var columns = Resources(sessions)[0];
        Assert.Equal("session_id", Column(columns, "column")[0]);
        Assert.Contains("title_id", Column(columns, "column"));
        Assert.Equal(Enumerable.Range(1, Rows(columns).Count).Select(i => i.ToString()), Column(columns, "position"));

        var plays = await Ok("%metastore describe pg.postgres.public.plays");
        Assert.Contains("comment: Streaming plays by device", Texts(plays)[0]);
        var rows = Rows(Resources(plays)[0]).ToDictionary(r => r.GetProperty("column").GetString()!);
        Assert.Equal("integer", rows["id"].GetProperty("engine_type").GetString());
        Assert.False(rows["id"].GetProperty("nullable").GetBoolean());
        Assert.Equal("string", rows["device"].GetProperty("table_schema_type").GetString());
        Assert.Equal("Kind of device used", rows["device"].GetProperty("comment").GetString());
        Assert.Single(Resources(plays));
    }

    [Fact]
    public async Task Describe_of_a_partitioned_table_shows_its_partitions_after_the_columns()
    {
        var events = await Ok("%metastore describe pg.postgres.public.events");
        Assert.Contains("(partitioned_table)", Texts(events)[0]);
        Assert.Equal("Partitions:", Texts(events)[1]);
        var tables = Resources(events);
        Assert.True(Rows(tables[0]).Single(r => r.GetProperty("column").GetString() == "day").GetProperty("partition_key").GetBoolean());
        var partition = Assert.Single(Rows(tables[1]));
        Assert.Equal("pg.postgres.public.events_2026", partition.GetProperty("partition").GetString());
        Assert.Equal("FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", partition.GetProperty("bound").GetString());
    }

    [Fact]
    public async Task Names_with_spaces_and_upper_case_are_quoted_in_addresses_and_accepted_quoted()
    {
        var tables = Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public --like \"play %\"")));
        Assert.Equal(["pg.postgres.public.\"Play Log\""], Column(tables, "address"));

        var described = await Ok("%metastore describe pg.postgres.public.\"Play Log\"");
        Assert.StartsWith("pg.postgres.public.\"Play Log\" (table)", Texts(described)[0]);
        Assert.Equal(["Device Type"], Column(Resources(described)[0], "column"));
    }

    [Fact]
    public async Task Search_ranks_an_exact_name_first_finds_comments_and_reports_the_down_connection()
    {
        var outcome = await Ok("%metastore search plays");
        var hits = Assert.Single(Resources(outcome));
        var first = Rows(hits)[0];
        Assert.Equal("pg.postgres.public.plays", first.GetProperty("address").GetString());
        Assert.Equal("exact_name", first.GetProperty("match").GetString());
        Assert.Equal("1", first.GetProperty("rank").ToString());
        Assert.Contains("down (failed): ", Assert.Single(Texts(outcome)));

        var byComment = Assert.Single(Resources(await Ok("%metastore search \"device used\"")));
        var hit = Assert.Single(Rows(byComment));
        Assert.Equal("pg.postgres.public.plays.device", hit.GetProperty("address").GetString());
        Assert.Equal("comment", hit.GetProperty("match").GetString());
    }

    [Fact]
    public async Task Refresh_forgets_the_cache_so_a_new_table_shows()
    {
        Assert.DoesNotContain("fresh_one", Column(Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public"))), "table"));
        await Ok("%%sql pg\nCREATE TABLE fresh_one (x int)");
        Assert.DoesNotContain("fresh_one", Column(Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public"))), "table"));

        var refreshed = await Ok("%metastore refresh pg");
        Assert.Contains("pg.postgres", Column(Assert.Single(Resources(refreshed)), "address"));
        Assert.Contains("fresh_one", Column(Assert.Single(Resources(await Ok("%metastore tables pg.postgres.public"))), "table"));
    }

    [Fact]
    public async Task Out_assigns_the_table_as_a_DataFrame_for_the_next_cell()
    {
        await Ok("%metastore describe pg.postgres.public.plays --out playColumns");
        var names = await Ok("string.Join(\",\", playColumns.Columns[\"column\"].Cast<string>())");
        Assert.Equal("id,device", names.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        await Ok("%metastore tables warehouse.main --out tables");
        var count = await Ok("tables.Rows.Count");
        Assert.Equal("3", count.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task The_preloaded_Metastore_completes_like_a_variable()
    {
        var code = "var m = Metast";
        var request = fixture.Client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, code.Length), ProtocolJsonContext.Default.CompleteRequest);
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell, request, Soon());
        Assert.Contains("Metastore", reply.Content.GetProperty("matches").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task The_preloaded_Metastore_describes_a_table_in_a_csharp_cell()
    {
        var outcome = await Ok("var t = await Metastore.DescribeAsync(\"warehouse.main.sessions\"); MetastoreTable typed = t; t.Columns.Count(c => c.Name == \"session_id\")");
        Assert.Equal("1", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var answer = await Ok("var a = await Metastore.ListCatalogsAsync(); a.Errors.Single().Connection + \" \" + a.Items.Any(c => c.Address.ToString() == \"pg.postgres\")");
        Assert.Equal("down True", answer.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Theory]
    [InlineData("%metastore tables pg.postgres.", "UsageError: 'pg.postgres.' is not a metastore address: it ends with '.'")]
    [InlineData("%metastore schemas pg..public", "UsageError: 'pg..public' is not a metastore address: empty name at position 3")]
    [InlineData("%metastore describe warehouse.main", "UsageError: warehouse.main is not a table address: expected connection.catalog.schema.table")]
    [InlineData("%metastore describe", "UsageError: `%metastore describe` needs a table address, connection.catalog.schema.table")]
    [InlineData("%metastore frobnicate", "UsageError: unknown subcommand 'frobnicate'; usage: %metastore [catalogs")]
    [InlineData("%metastore catalogs pg extra", "UsageError: `%metastore catalogs` takes at most a connection name, but got 'pg extra'")]
    [InlineData("%metastore describe pg.postgres.public.nope", "MetastoreError: pg: no table nope in pg.postgres.public")]
    [InlineData("%metastore catalogs nowhere", "MetastoreError: nowhere: ")]
    [InlineData("%metastore describe down.postgres.public.plays", "MetastoreError: down: ")]
    [InlineData("%metastore schemas pg.postgres --like x", "UsageError: --like applies to `%metastore tables` only")]
    public async Task Bad_addresses_subcommands_and_missing_objects_give_clear_errors(string code, string expected)
    {
        var outcome = await Run(code);
        Assert.Equal("error", outcome.Status);
        Assert.StartsWith(expected, ErrorText(outcome));
    }

    [Fact]
    public async Task Help_prints_the_usage()
    {
        var outcome = await Ok("%metastore help");
        Assert.StartsWith("Usage: %metastore [catalogs [connection] | schemas <connection.catalog>", outcome.StreamText());
    }
}
