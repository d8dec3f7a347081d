using System.Net;
using System.Net.Http.Headers;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The HTTP side of the protocol: the statement POST (never retried: it is not idempotent), GETs of <c>nextUri</c>
/// with retries, and DELETEs that cancel. GETs are retried on 502, 503 and 504 (Presto: 503 only) with exponential
/// backoff and jitter, on 429 after its <c>Retry-After</c>, on a connection dropped before the end of a page, and on
/// a request timeout — the server returns the same page for a repeated token — until
/// <see cref="TrinoConnectionOptions.MaxRetryTime"/> has passed, then fails with what happened last.
/// </summary>
internal sealed class TrinoTransport(HttpClient http, TrinoConnectionOptions options, TimeProvider time)
{
    private static readonly MediaTypeHeaderValue PlainText = new("text/plain") { CharSet = "utf-8" };

    /// <summary>Posts a statement. An error status becomes a <see cref="TrinoException"/> with the server's text.</summary>
    public async Task<TrinoResponse> PostAsync(string sql, TrinoSession session, KeyValuePair<string, string>? prepared, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Server, "v1/statement"))
        {
            Content = new StringContent(sql, PlainText),
        };
        session.AddHeaders(request.Headers, prepared);
        AddAuthorization(request);
        TrinoResponse response;
        try
        {
            response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = e is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s" : e.Message;
            throw new TrinoException($"cannot reach the {(options.Presto ? "Presto" : "Trino")} server at {options.Server}: {why}", null, null, e);
        }
        if (response.Status != HttpStatusCode.OK) throw Failure(response, "POST /v1/statement", null);
        return response;
    }

    /// <summary>Gets a <c>nextUri</c>, retrying what is safe to retry.</summary>
    public async Task<TrinoResponse> GetAsync(Uri uri, string queryId, CancellationToken cancellationToken)
    {
        var attempts = 0;
        long? firstFailure = null;
        while (true)
        {
            attempts++;
            string problem;
            TimeSpan? wait = null;
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            // Headers go only with the POST, but servers (and Presto's docs) want the user on every request.
            request.Headers.Add(options.HeaderPrefix + "User", options.User);
            AddAuthorization(request);
            try
            {
                var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.Status == HttpStatusCode.OK && response.Length > 0) return response;
                using (response)
                {
                    if (!Retryable(response.Status)) throw Failure(response, "GET nextUri", queryId);
                    problem = response.Status == HttpStatusCode.OK ? "an empty response" : $"HTTP {(int)response.Status}";
                    if (response.Status == HttpStatusCode.TooManyRequests) wait = RetryAfter(response.Headers);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                problem = e is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s" : $"connection failed ({e.Message})";
            }
            firstFailure ??= time.GetTimestamp();
            var spent = time.GetElapsedTime(firstFailure.Value);
            var delay = wait ?? Backoff(attempts);
            if (spent + delay > options.MaxRetryTime)
                throw new TrinoException($"gave up on query {queryId} after {attempts} attempts in {spent.TotalSeconds:0.#} s: {problem}", null, queryId);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Cancels by deleting a query URI; best effort, within a few seconds whatever the server does.</summary>
    public async Task<bool> DeleteAsync(Uri uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        request.Headers.Add(options.HeaderPrefix + "User", options.User);
        AddAuthorization(request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Gone || response.StatusCode == HttpStatusCode.NotFound;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<TrinoResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        using var message = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        return await TrinoResponse.ReadAsync(message, timeout.Token).ConfigureAwait(false);
    }

    private bool Retryable(HttpStatusCode status) => options.Presto
        ? status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.OK
        : status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.OK;

    /// <summary>50 ms doubling up to 2 s, times a random factor in [0.5, 1) so clients do not retry in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(2000, 50 * Math.Pow(2, Math.Min(attempt - 1, 10))) * (0.5 + Random.Shared.NextDouble() / 2));

    private TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter is not { } retry) return null;
        if (retry.Delta is { } delta) return delta;
        if (retry.Date is { } date) return date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    private void AddAuthorization(HttpRequestMessage request)
    {
        // Credentials never go over plain HTTP unless the connection allows it (checked again here, whatever built the options).
        if (!options.UsesTls && !options.AllowInsecureCredentials) return;
        if (options.AccessToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (options.Password is { } password)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{options.User}:{password}")));
    }

    private static TrinoException Failure(TrinoResponse response, string what, string? queryId)
    {
        using (response)
        {
            var text = response.BodyText.Trim();
            if (text.Length > 2000) text = text[..2000] + "…";
            var reason = response.Status switch
            {
                HttpStatusCode.Unauthorized => "authentication failed",
                HttpStatusCode.Forbidden => "access denied",
                HttpStatusCode.Gone => "the query's results are gone (a page was requested again after the next one)",
                HttpStatusCode.NotFound => "the query is unknown to the server (finished, cancelled or expired)",
                _ => $"HTTP {(int)response.Status}",
            };
            return new TrinoException($"{what}: {reason}{(text.Length > 0 ? ": " + text : "")}", response.Status, queryId);
        }
    }
}
