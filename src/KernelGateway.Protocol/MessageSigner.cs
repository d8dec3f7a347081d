using System.Security.Cryptography;

namespace KernelGateway.Protocol;

/// <summary>
/// Signs and verifies messages with the connection key (HMAC over header, parent header, metadata and
/// content, in that order). An empty key means messages are not signed. Verification is constant-time.
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;
    private readonly HashAlgorithmName _algorithm;

    /// <summary>Creates a signer for a key and a <c>signature_scheme</c> such as <c>hmac-sha256</c>.</summary>
    /// <exception cref="NotSupportedException">The scheme is not hmac-sha256, hmac-sha384, hmac-sha512 or hmac-sha1.</exception>
    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        _key = System.Text.Encoding.UTF8.GetBytes(key);
        _algorithm = scheme.ToLowerInvariant() switch
        {
            "hmac-sha256" => HashAlgorithmName.SHA256,
            "hmac-sha384" => HashAlgorithmName.SHA384,
            "hmac-sha512" => HashAlgorithmName.SHA512,
            "hmac-sha1" => HashAlgorithmName.SHA1,
            _ => throw new NotSupportedException($"signature_scheme '{scheme}' is not supported"),
        };
    }

    /// <summary>True when a key is set and messages are signed.</summary>
    public bool IsEnabled => _key.Length > 0;

    /// <summary>The lower-case hex signature of four frames; empty when signing is off.</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!IsEnabled) return "";
        Span<byte> mac = stackalloc byte[64];
        var n = Compute(header, parent, metadata, content, mac);
        return Convert.ToHexStringLower(mac[..n]);
    }

    /// <summary>
    /// True when <paramref name="signature"/> (hex) is the signature of the four frames. With signing off,
    /// any signature is accepted. Comparison is constant-time.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!IsEnabled) return true;
        Span<byte> expected = stackalloc byte[64];
        var n = Compute(header, parent, metadata, content, expected);
        if (signature.Length != n * 2) return false;
        Span<byte> given = stackalloc byte[64];
        if (Convert.FromHexString(System.Text.Encoding.ASCII.GetString(signature), given[..n], out _, out var written) != System.Buffers.OperationStatus.Done || written != n)
            return false;
        return CryptographicOperations.FixedTimeEquals(given[..n], expected[..n]);
    }

    private int Compute(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(_algorithm, _key);
        hmac.AppendData(header);
        hmac.AppendData(parent);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return hmac.GetHashAndReset(destination);
    }
}
