using System.Net;
using System.Text.Json;
using KernelGateway.Tests;

namespace KernelGateway.Gateway.Tests.Metastore;

[Collection(MetastoreGatewayCollection.Name)]
public sealed class MetastoreApiTests(MetastoreGateway fixture)
{
    private static string[] Names(JsonElement array) => array.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray();

    private async Task<JsonElement> OkAsync(string path)
    {
        using var response = await fixture.GetAsync(path);
        var json = await GatewayServer.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    private async Task<string> ErrorAsync(string path, HttpStatusCode status)
    {
        using var response = await fixture.GetAsync(path);
        return await ErrorAssert.IsJsonErrorAsync(response, status);
    }

    [Theory]
    [InlineData("/api/metastore")]
    [InlineData("/api/metastore/pg/catalogs")]
    [InlineData("/api/metastore/pg/shop/sales/orders")]
    [InlineData("/api/metastore/search?q=orders")]
    public async Task Requests_without_the_token_are_refused_with_401(string path)
    {
        using var response = await fixture.Server.SendAsync(HttpMethod.Get, path);
        await ErrorAssert.IsJsonErrorAsync(response, HttpStatusCode.Unauthorized);
        using var wrong = await fixture.Server.SendAsync(HttpMethod.Get, path, token: "not-the-token");
        await ErrorAssert.IsJsonErrorAsync(wrong, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_api_lives_under_the_base_url()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/metastore");
        request.Headers.Authorization = new("token", MetastoreGateway.Token);
        using var response = await fixture.Server.Http.SendAsync(request);
        await ErrorAssert.IsJsonErrorAsync(response, HttpStatusCode.NotFound);
        await OkAsync("/api/metastore");
    }

    [Fact]
    public async Task The_overview_lists_every_connection_with_its_catalogs_and_an_error_entry_for_each_that_cannot_answer()
    {
        var json = await OkAsync("/api/metastore");
        var items = json.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.Equal(["down", "lake", "pg", "warehouse"], items.Keys.Order());
        Assert.Equal(["memory"], Names(items["warehouse"].GetProperty("catalogs")));
        Assert.Equal(["shop"], Names(items["pg"].GetProperty("catalogs")));
        Assert.Equal(("postgres", "the shop", true), (items["pg"].GetProperty("kind").GetString(), items["pg"].GetProperty("description").GetString(), items["pg"].GetProperty("supported").GetBoolean()));
        Assert.False(items["lake"].GetProperty("supported").GetBoolean());
        Assert.Empty(items["down"].GetProperty("catalogs").EnumerateArray());
        var errors = json.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("connection").GetString()!, e => e.GetProperty("kind").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["down"] = "failed", ["insecure"] = "unusable", ["lake"] = "not_supported" }, errors);
    }

    [Fact]
    public async Task A_connection_whose_server_is_down_answers_502_on_its_own_endpoints()
    {
        await ErrorAsync("/api/metastore/down/catalogs", HttpStatusCode.BadGateway);
        await ErrorAsync("/api/metastore/down/shop/schemas", HttpStatusCode.BadGateway);
        await ErrorAsync("/api/metastore/down/shop/sales/orders", HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task A_connection_kind_without_a_provider_answers_501()
    {
        var message = await ErrorAsync("/api/metastore/lake/catalogs", HttpStatusCode.NotImplemented);
        Assert.Contains("livy", message);
        await ErrorAsync("/api/metastore/lake/hive/default/tables", HttpStatusCode.NotImplemented);
    }

    [Fact]
    public async Task An_unusable_connection_entry_answers_503_saying_why_without_its_secret()
    {
        var message = await ErrorAsync("/api/metastore/insecure/catalogs", HttpStatusCode.ServiceUnavailable);
        Assert.Contains("HTTPS", message);
        Assert.DoesNotContain(MetastoreGateway.InsecurePassword, message);
    }

    [Fact]
    public async Task The_embedded_warehouse_is_browsed_level_by_level()
    {
        var catalog = Assert.Single((await OkAsync("/api/metastore/warehouse/catalogs")).EnumerateArray());
        Assert.Equal(("warehouse.memory", true), (catalog.GetProperty("address").GetString(), catalog.GetProperty("is_default").GetBoolean()));
        Assert.Equal(["main"], Names(await OkAsync("/api/metastore/warehouse/memory/schemas")));
        var tables = await OkAsync("/api/metastore/warehouse/memory/main/tables");
        Assert.Equal(["members", "sessions", "titles"], Names(tables).Order());
        var sessions = await OkAsync("/api/metastore/warehouse/memory/main/sessions");
        Assert.Equal("warehouse.memory.main.sessions", sessions.GetProperty("address").GetString());
        Assert.Equal("view", sessions.GetProperty("kind").GetString());
        var columns = sessions.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal("session_id", columns[0].GetProperty("name").GetString());
        Assert.Contains(columns, c => c.GetProperty("name").GetString() == "day" && c.GetProperty("table_schema_type").GetString() == "date");
    }

    [Fact]
    public async Task A_postgres_table_is_described_metacat_style_with_name_parts_column_types_and_comments()
    {
        Assert.Equal(["shop"], Names(await OkAsync("/api/metastore/pg/catalogs")));
        var schemas = (await OkAsync("/api/metastore/pg/shop/schemas")).EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal("Sales data", schemas["sales"].GetProperty("comment").GetString());
        Assert.Contains("odd.schema", schemas.Keys);
        var tables = (await OkAsync("/api/metastore/pg/shop/sales/tables")).EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["My Table", "customers", "old_orders", "orders", "orders_archive"], tables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("table", "One row per order"), (tables["orders"].GetProperty("kind").GetString(), tables["orders"].GetProperty("comment").GetString()));

        var orders = await OkAsync("/api/metastore/pg/shop/sales/orders");
        var name = orders.GetProperty("qualified_name");
        Assert.Equal(("pg", "shop", "sales", "orders"),
            (name.GetProperty("connection").GetString(), name.GetProperty("catalog").GetString(), name.GetProperty("schema").GetString(), name.GetProperty("table").GetString()));
        Assert.Equal(("orders", "One row per order"), (orders.GetProperty("name").GetString(), orders.GetProperty("comment").GetString()));
        var amount = orders.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "amount");
        Assert.Equal(("numeric(10,2)", "number", "Order total in euros", 2),
            (amount.GetProperty("engine_type").GetString(), amount.GetProperty("table_schema_type").GetString(), amount.GetProperty("comment").GetString(), amount.GetProperty("position").GetInt32()));
        var id = orders.GetProperty("columns")[0];
        Assert.Equal(("order_id", false), (id.GetProperty("name").GetString(), id.GetProperty("nullable").GetBoolean()));
    }

    [Fact]
    public async Task Names_with_spaces_or_dots_are_single_url_encoded_segments()
    {
        var table = await OkAsync($"/api/metastore/pg/shop/sales/{Uri.EscapeDataString("My Table")}");
        Assert.Equal("pg.shop.sales.\"My Table\"", table.GetProperty("address").GetString());
        Assert.Equal("My Table", table.GetProperty("qualified_name").GetProperty("table").GetString());
        var column = Assert.Single(table.GetProperty("columns").EnumerateArray());
        Assert.Equal(("Total Amount", "with a space"), (column.GetProperty("name").GetString(), column.GetProperty("comment").GetString()));

        Assert.Equal(["a.b"], Names(await OkAsync("/api/metastore/pg/shop/odd.schema/tables")));
        var dotted = await OkAsync("/api/metastore/pg/shop/odd.schema/a.b");
        Assert.Equal("pg.shop.\"odd.schema\".\"a.b\"", dotted.GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("/api/metastore/nope/catalogs", "nope")]
    [InlineData("/api/metastore/nope/shop/schemas", "nope")]
    [InlineData("/api/metastore/pg/nope/schemas", "nope")]
    [InlineData("/api/metastore/pg/shop/nope/tables", "nope")]
    [InlineData("/api/metastore/pg/shop/sales/nope", "nope")]
    [InlineData("/api/metastore/warehouse/memory/main/nope", "nope")]
    public async Task Unknown_names_answer_404_json_errors_naming_them(string path, string name)
    {
        var message = await ErrorAsync(path, HttpStatusCode.NotFound);
        Assert.Contains(name, message);
    }

    [Fact]
    public async Task Search_ranks_exact_name_then_prefix_then_substring_then_comment()
    {
        var json = await OkAsync("/api/metastore/search?q=orders");
        var hits = json.GetProperty("items").EnumerateArray()
            .Select(h => (Address: h.GetProperty("address").GetString()!, Match: h.GetProperty("match").GetString()))
            .Where(h => h.Address.StartsWith("pg.shop.sales.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            ("pg.shop.sales.orders", "exact_name"), ("pg.shop.sales.orders_archive", "name_prefix"),
            ("pg.shop.sales.old_orders", "name_substring"), ("pg.shop.sales.customers", "comment"),
        ], hits);
        var errors = json.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("connection").GetString(), e.GetProperty("kind").GetString()));
        Assert.Equal([("down", "failed"), ("insecure", "unusable"), ("lake", "not_supported")], errors.Order());

        var limited = await OkAsync("/api/metastore/search?q=orders&limit=1");
        Assert.Equal("pg.shop.sales.orders", Assert.Single(limited.GetProperty("items").EnumerateArray()).GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("/api/metastore/search")]
    [InlineData("/api/metastore/search?q=")]
    [InlineData("/api/metastore/search?q=%20%20")]
    [InlineData("/api/metastore/search?q=orders&limit=0")]
    [InlineData("/api/metastore/search?q=orders&limit=many")]
    public async Task Search_without_text_or_with_a_bad_limit_is_a_400(string path) =>
        await ErrorAsync(path, HttpStatusCode.BadRequest);

    [Fact]
    public async Task No_answer_or_error_carries_a_secret_of_a_connection_entry()
    {
        string[] paths =
        [
            "/api/metastore", "/api/metastore/pg/catalogs", "/api/metastore/pg/shop/schemas", "/api/metastore/pg/shop/sales/tables",
            "/api/metastore/pg/shop/sales/orders", "/api/metastore/search?q=o", "/api/metastore/down/catalogs",
            "/api/metastore/down/shop/sales/orders", "/api/metastore/lake/catalogs", "/api/metastore/insecure/catalogs",
            "/api/metastore/pg/shop/sales/nope",
        ];
        foreach (var path in paths)
        {
            using var response = await fixture.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Length > 2, $"{path}: empty answer");
            foreach (var secret in fixture.Secrets) Assert.DoesNotContain(secret, body);
        }
    }
}
