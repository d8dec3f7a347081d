using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Gateway;
using KernelGateway.Gateway.Options;
using KernelGateway.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KernelGateway.Jobs.Tests;

/// <summary>
/// The gateway app <c>serve</c> runs, on a real port with a token, its scheduler on: notebooks run on Debian's
/// ipykernel through <c>/api/runs</c>, and their output notebooks are read back with Debian's nbformat.
/// </summary>
public sealed class ServeJobsApiTests : IAsyncLifetime
{
    private const string Token = "jobs-test-token";
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private string _data = null!;

    public async Task InitializeAsync()
    {
        _data = TestEnvironment.TempDirectory("jobs-serve");
        var options = new GatewayOptions
        {
            Port = 0, AuthToken = Token, DataDirectory = _data, RuntimeDirectory = Path.Combine(_data, "runtime"), DefaultKernelName = "python3",
        };
        _app = Program.CreateApp(options);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_notebook_posted_to_api_runs_runs_on_ipykernel_with_its_parameters_and_its_output_is_a_valid_notebook()
    {
        var body = new JsonObject { ["content"] = JsonNode.Parse(Notebooks.Json("print(x * 21)")), ["parameters"] = new JsonObject { ["x"] = 2 } };
        using var posted = await _http.PostAsync("api/runs", Content(body));
        var run = await Json(posted);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("queued", run["state"]!.GetValue<string>());
        var id = run["id"]!.GetValue<long>();

        var ended = await UntilAsync(id, r => r["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled");
        Assert.Equal("succeeded", ended["state"]!.GetValue<string>());
        Assert.Equal($"runs/adhoc/adhoc-{id}.ipynb", ended["output_path"]!.GetValue<string>());
        Assert.Equal("python3", ended["kernel"]!.GetValue<string>());

        var printed = await NbformatAsync(id, "print(''.join(o.get('text', '') for c in nb.cells for o in c.get('outputs', []) if o.output_type == 'stream'), end='')");
        Assert.Equal("42\n", printed);

        using var listed = await _http.GetAsync("api/runs?state=succeeded");
        Assert.Contains((await Json(listed)).AsArray(), r => r!["id"]!.GetValue<long>() == id);

        // /metrics counts the run once the scheduler has told it (just after the record is written), read by prometheus_client.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await SucceededRunsAsync() != "1.0")
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"/metrics never counted the run: {await _http.GetStringAsync("metrics")}");
            await Task.Delay(50);
        }
    }

    private async Task<string> SucceededRunsAsync()
    {
        var text = await _http.GetStringAsync("metrics");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            values = [s.value for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples
                      if s.name == 'kernelgateway_runs_total' and s.labels.get('state') == 'succeeded']
            print(values[0] if values else 'none')
            """], stdin: text);
        Assert.True(exit == 0, stderr);
        return stdout.Trim();
    }

    [Fact]
    public async Task Cancelling_a_running_notebook_interrupts_its_kernel_and_leaves_a_complete_output()
    {
        var body = new JsonObject { ["content"] = JsonNode.Parse(Notebooks.Json("import time\ntime.sleep(600)")) };
        using var posted = await _http.PostAsync("api/runs", Content(body));
        var id = (await Json(posted))["id"]!.GetValue<long>();
        await UntilAsync(id, r => r["state"]!.GetValue<string>() == "running");
        // the sleeping cell has started once the output notebook records it as running
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            using var nb = await _http.GetAsync($"api/runs/{id}/notebook");
            if (nb.IsSuccessStatusCode && (await Json(nb))["cells"]![1]!["metadata"]?["papermill"]?["status"]?.GetValue<string>() == "running") break;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("the cell never started");
            await Task.Delay(100);
        }
        using var cancel = await _http.PostAsync($"api/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        var ended = await UntilAsync(id, r => r["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled");
        Assert.Equal("cancelled", ended["state"]!.GetValue<string>());
        Assert.Equal(2, ended["failing_cell"]!.GetValue<int>());
        var errors = await NbformatAsync(id, "print(','.join(o.ename for c in nb.cells for o in c.get('outputs', []) if o.output_type == 'error'), nb.metadata.papermill.exception is not None)");
        Assert.Matches("^(KeyboardInterrupt|KeyboardInterrupt,KeyboardInterrupt) True\n$", errors);
    }

    [Fact]
    public async Task Schedules_are_created_shown_paused_and_removed_over_http_and_bad_input_is_a_json_error()
    {
        Notebooks.Write(Path.Combine(_data, "notebooks", "daily.ipynb"), "print(1)");
        using var created = await _http.PostAsync("api/schedules", Content(new JsonObject
        {
            ["name"] = "daily", ["notebook"] = "daily.ipynb", ["cron"] = "0 6 * * *", ["time_zone"] = "Europe/Amsterdam", ["missed_runs"] = "skip",
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var shown = await _http.GetAsync("api/schedules/daily");
        var details = await Json(shown);
        Assert.Equal(5, details["next"]!.AsArray().Count);
        Assert.Single(details["snapshots"]!.AsArray());
        Assert.Equal("skip", details["missed_runs"]!.GetValue<string>());

        using var paused = await _http.PostAsync("api/schedules/daily/pause", null);
        Assert.True((await Json(paused))["paused"]!.GetValue<bool>());
        using var patched = await _http.PatchAsync("api/schedules/daily", Content(new JsonObject { ["paused"] = false, ["snapshot"] = true, ["cron"] = "0 7 * * *" }));
        var schedule = await Json(patched);
        Assert.Equal(("0 7 * * *", false), (schedule["cron"]!.GetValue<string>(), schedule["paused"]!.GetValue<bool>()));

        using var outside = await _http.PostAsync("api/schedules", Content(new JsonObject { ["name"] = "x", ["notebook"] = "../state.db", ["cron"] = "0 6 * * *" }));
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("outside the workspace", (await Json(outside))["message"]!.GetValue<string>());
        using var badCron = await _http.PostAsync("api/schedules", Content(new JsonObject { ["name"] = "y", ["notebook"] = "daily.ipynb", ["cron"] = "0 25 * * *" }));
        Assert.Equal(HttpStatusCode.BadRequest, badCron.StatusCode);
        using var taken = await _http.PostAsync("api/schedules", Content(new JsonObject { ["name"] = "daily", ["notebook"] = "daily.ipynb", ["cron"] = "0 6 * * *" }));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        using var removed = await _http.DeleteAsync("api/schedules/daily");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var gone = await _http.GetAsync("api/schedules/daily");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var noRun = await _http.GetAsync("api/runs/999999");
        Assert.Equal(HttpStatusCode.NotFound, noRun.StatusCode);

        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/schedules")).StatusCode);
    }

    private async Task<JsonNode> UntilAsync(long id, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            using var response = await _http.GetAsync($"api/runs/{id}");
            var run = await Json(response);
            if (condition(run)) return run;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"run {id} never got there: {run}");
            await Task.Delay(100);
        }
    }

    /// <summary>Fetches the run's output notebook, validates it with Debian's nbformat and runs <paramref name="script"/> on it (as <c>nb</c>); returns what it printed.</summary>
    private async Task<string> NbformatAsync(long id, string script)
    {
        using var response = await _http.GetAsync($"api/runs/{id}/notebook");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = Path.Combine(TestEnvironment.TempDirectory("jobs-output"), "out.ipynb");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            ["-c", "import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=4)\nnbformat.validate(nb)\n" + script, file]);
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    private static StringContent Content(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("empty body");
}

/// <summary>The scheduler's configuration variables.</summary>
public sealed class SchedulerOptionsTests
{
    [Fact]
    public void KG_SCHEDULER_off_disables_the_scheduler_and_KG_SCHEDULER_STORE_names_the_store()
    {
        var env = new Dictionary<string, string> { ["KG_SCHEDULER"] = "off", ["KG_SCHEDULER_STORE"] = "postgres://u:p@127.0.0.1:5433/jobs", ["KG_SCHEDULER_MAX_RUNS"] = "2" };
        var options = GatewayOptions.FromEnvironment(n => env.GetValueOrDefault(n));
        Assert.Equal((false, "postgres://u:p@127.0.0.1:5433/jobs", 2), (options.Scheduler, options.SchedulerStore, options.SchedulerMaxRuns));
        Assert.True(GatewayOptions.FromEnvironment(_ => null).Scheduler);
        Assert.IsType<KernelGateway.Jobs.Store.PostgresJobStore>(KernelGateway.Jobs.Store.JobStores.Open("/tmp", options.SchedulerStore));
        Assert.IsType<KernelGateway.Jobs.Store.SqliteJobStore>(KernelGateway.Jobs.Store.JobStores.Open(TestEnvironment.TempDirectory("jobs-opts"), null));
    }
}
