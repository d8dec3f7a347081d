using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A growing Arrow buffer of fixed-width values (or raw bytes), written straight into a managed array that
/// doubles as it fills, and handed to Arrow without a copy. (Apache.Arrow's own <c>ArrowBuffer.Builder&lt;T&gt;</c>
/// costs about 100 ns an append and copies on build, which alone would take a million-row page past a second.)
/// </summary>
internal sealed class ArrowBytes
{
    private byte[] _bytes = new byte[64];

    /// <summary>Bytes written.</summary>
    public int Length { get; private set; }

    public void Append<T>(T value) where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (_bytes.Length - Length < size) Grow(size);
        MemoryMarshal.Write(_bytes.AsSpan(Length), in value);
        Length += size;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_bytes.Length - Length < bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>
    /// The buffer written so far; this starts a new one as large as it ended, since the next batch of a result
    /// is usually as big (growing a large buffer by doubling costs copies and large-object-heap allocations).
    /// </summary>
    public ArrowBuffer Build()
    {
        var buffer = new ArrowBuffer(_bytes.AsMemory(0, Length));
        _bytes = new byte[Math.Max(64, Length)];
        Length = 0;
        return buffer;
    }

    private void Grow(int more)
    {
        var grown = new byte[Math.Max(_bytes.Length * 2, Length + more)];
        _bytes.AsSpan(0, Length).CopyTo(grown);
        _bytes = grown;
    }
}

/// <summary>A growing Arrow bitmap (least significant bit first), handed to Arrow without a copy.</summary>
internal sealed class ArrowBits
{
    private byte[] _bytes = new byte[8];

    /// <summary>Bits written.</summary>
    public int Length { get; private set; }

    public void Append(bool bit)
    {
        var index = Length >> 3;
        if (index == _bytes.Length) System.Array.Resize(ref _bytes, _bytes.Length * 2);
        if (bit) _bytes[index] |= (byte)(1 << (Length & 7));
        Length++;
    }

    /// <summary>The bitmap written so far; this starts a new one as large as it ended.</summary>
    public ArrowBuffer Build()
    {
        var used = (Length + 7) >> 3;
        var buffer = new ArrowBuffer(_bytes.AsMemory(0, used));
        _bytes = new byte[Math.Max(8, used)];
        Length = 0;
        return buffer;
    }
}

/// <summary>The validity bitmap of a column: a bit per value, and the count of nulls.</summary>
internal sealed class ArrowValidity
{
    private readonly ArrowBits _bits = new();

    public int Length => _bits.Length;

    public int NullCount { get; private set; }

    public void Append(bool valid)
    {
        _bits.Append(valid);
        if (!valid) NullCount++;
    }

    /// <summary>The bitmap (empty when nothing is null, as Arrow allows), then an empty one.</summary>
    public ArrowBuffer Build()
    {
        var bitmap = _bits.Build();
        if (NullCount == 0) bitmap = ArrowBuffer.Empty;
        NullCount = 0;
        return bitmap;
    }
}
