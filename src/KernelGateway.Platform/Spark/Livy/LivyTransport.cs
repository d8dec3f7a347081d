using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// The HTTP side: every request carries <c>Accept</c> and the credentials; every request but GET carries
/// <c>X-Requested-By</c> (Livy's CSRF filter refuses a POST or DELETE without it) and a JSON body with
/// <c>Content-Type: application/json</c>. Requests marked retryable (GETs, DELETEs, cancels: asking again does no
/// harm) are retried on 502, 503 and 504 and on dropped connections and timeouts, with exponential backoff and
/// jitter, until <see cref="LivyOptions.MaxRetryTime"/> has passed. POSTs that create sessions, statements or
/// batches are sent once: a retry could create a second one.
/// </summary>
internal sealed class LivyTransport(HttpClient http, LivyOptions options, TimeProvider time)
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };

    /// <summary>GETs a JSON answer, retrying what is safe to retry.</summary>
    /// <exception cref="LivyException">The server answered with an error, or could not be reached.</exception>
    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, path, null, retry: true, ct).ConfigureAwait(false);
        return Read(response, type, "GET", path);
    }

    /// <summary>POSTs a JSON body and reads the JSON answer.</summary>
    /// <exception cref="LivyException">The server answered with an error, or could not be reached.</exception>
    public async Task<T> PostAsync<TBody, T>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, bool retry, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        var response = await SendAsync(HttpMethod.Post, path, bytes, retry, ct).ConfigureAwait(false);
        return Read(response, type, "POST", path);
    }

    /// <summary>DELETEs; true when the server deleted it (200), false when it did not know it (404).</summary>
    /// <exception cref="LivyException">Any other answer.</exception>
    public async Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Delete, path, null, retry: true, ct).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound) return false;
        if (!IsSuccess(response.Status)) throw Failure(response, "DELETE", path);
        return true;
    }

    /// <summary>Sends one request, retried as the class remarks say; returns whatever status the server answered last.</summary>
    public async Task<LivyResponse> SendAsync(HttpMethod method, string path, byte[]? body, bool retry, CancellationToken ct)
    {
        var attempts = 0;
        long? firstFailure = null;
        while (true)
        {
            attempts++;
            string problem;
            HttpStatusCode? status = null;
            try
            {
                var response = await SendOnceAsync(method, path, body, ct).ConfigureAwait(false);
                if (!retry || !IsTransient(response.Status)) return response;
                status = response.Status;
                problem = $"HTTP {(int)response.Status}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                problem = e is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s" : $"connection failed ({e.Message})";
                if (!retry) throw new LivyException($"{method} {path}: cannot reach Livy at {options.Server.Authority}: {problem}", null, method.Method, path, null, e);
            }
            firstFailure ??= time.GetTimestamp();
            var spent = time.GetElapsedTime(firstFailure.Value);
            var delay = Backoff(attempts);
            if (spent + delay > options.MaxRetryTime)
                throw new LivyException($"{method} {path}: gave up after {attempts} attempts in {spent.TotalSeconds:0.#} s: {problem}", status, method.Method, path);
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
        }
    }

    private async Task<LivyResponse> SendOnceAsync(HttpMethod method, string path, byte[]? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.Server, path));
        request.Headers.Accept.ParseAdd("application/json");
        if (method != HttpMethod.Get)
        {
            request.Headers.Add("X-Requested-By", options.RequestedBy);
            if (method != HttpMethod.Delete) request.Content = new ByteArrayContent(body ?? "{}"u8.ToArray()) { Headers = { ContentType = JsonType } };
        }
        AddAuthorization(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        using var message = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        var bytes = await message.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        return new LivyResponse(message.StatusCode, bytes, message.Content.Headers.ContentType?.MediaType, message.Headers.Location);
    }

    private void AddAuthorization(HttpRequestMessage request)
    {
        // Credentials never go over plain HTTP unless the connection allows it (checked again here, whatever built the options).
        if (!options.SendsCredentials) return;
        if (options.AccessToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (options.Password is { } password)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{password}")));
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>50 ms doubling up to 2 s, times a random factor in [0.5, 1) so clients do not retry in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(2000, 50 * Math.Pow(2, Math.Min(attempt - 1, 10))) * (0.5 + Random.Shared.NextDouble() / 2));

    private static T Read<T>(LivyResponse response, JsonTypeInfo<T> type, string method, string path)
    {
        if (!IsSuccess(response.Status)) throw Failure(response, method, path);
        try
        {
            return JsonSerializer.Deserialize(response.Body, type) ?? throw new JsonException("the answer is null");
        }
        catch (JsonException e)
        {
            throw new LivyException($"{method} {path}: Livy's answer is not the JSON expected ({e.Message})", response.Status, method, path, null, e);
        }
    }

    /// <summary>The exception for an error answer: status, what it means, and the server's own message.</summary>
    public static LivyException Failure(LivyResponse response, string method, string path)
    {
        var message = LivyErrorText.From(response.Body, response.ContentType);
        var reason = response.Status switch
        {
            HttpStatusCode.Unauthorized => "authentication failed",
            HttpStatusCode.Forbidden => "access denied",
            HttpStatusCode.NotFound => "not found",
            _ => $"HTTP {(int)response.Status}",
        };
        return new LivyException($"{method} {path}: {reason}{(message is null ? "" : ": " + message)}", response.Status, method, path, message);
    }
}

/// <summary>An answer: status, body, content type, <c>Location</c>.</summary>
internal sealed record LivyResponse(HttpStatusCode Status, byte[] Body, string? ContentType, Uri? Location);
