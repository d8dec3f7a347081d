using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace KernelGateway.Platform.Trino;

/// <summary>One answer of the coordinator: its status, headers and whole body in a pooled buffer (returned on dispose).</summary>
internal sealed class TrinoResponse : IDisposable
{
    private byte[]? _buffer;

    private TrinoResponse(HttpStatusCode status, HttpResponseHeaders headers, byte[] buffer, int length)
    {
        Status = status;
        Headers = headers;
        _buffer = buffer;
        Length = length;
    }

    public HttpStatusCode Status { get; }

    public HttpResponseHeaders Headers { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(0, Length);

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>Reads the whole body; a connection dropped before its end throws (an <see cref="IOException"/> or <see cref="HttpRequestException"/>).</summary>
    public static async Task<TrinoResponse> ReadAsync(HttpResponseMessage message, CancellationToken cancellationToken)
    {
        var declared = message.Content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(declared is > 0 and < int.MaxValue ? (int)declared.Value : 64 * 1024);
        var length = 0;
        try
        {
            await using var stream = await message.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
            }
            if (declared is { } expected && length != expected)
                throw new IOException($"the response ended after {length} of {expected} bytes");
            return new TrinoResponse(message.StatusCode, message.Headers, buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Takes the body's pooled buffer: the caller returns it to <see cref="ArrayPool{T}.Shared"/>; disposing no longer does.</summary>
    public byte[] DetachBuffer() => Interlocked.Exchange(ref _buffer, null) ?? throw new ObjectDisposedException(nameof(TrinoResponse));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } b) ArrayPool<byte>.Shared.Return(b);
    }
}
