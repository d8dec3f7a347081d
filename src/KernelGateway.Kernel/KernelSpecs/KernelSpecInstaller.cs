using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Kernel.KernelSpecs;

/// <summary>Where a kernelspec is installed, as <c>jupyter kernelspec install</c> names them.</summary>
public enum InstallScope
{
    /// <summary><c>$JUPYTER_DATA_DIR/kernels</c> or <c>~/.local/share/jupyter/kernels</c>.</summary>
    User,
    /// <summary><c>{sys.prefix}/share/jupyter/kernels</c> of the Python on PATH (or of the active environment).</summary>
    SysPrefix,
    /// <summary><c>{prefix}/share/jupyter/kernels</c>.</summary>
    Prefix,
    /// <summary><c>/usr/local/share/jupyter/kernels</c>.</summary>
    System,
}

/// <summary>
/// Writes the kernelspec of the C# kernel: <c>kernel.json</c> (argv with <c>{connection_file}</c>,
/// interrupt_mode message) and the two logos. The default name, <c>.net-csharp</c>, is the one papermill's C#
/// parameter translator is keyed on.
/// </summary>
public static class KernelSpecInstaller
{
    /// <summary>The default kernelspec name.</summary>
    public const string DefaultName = ".net-csharp";

    /// <summary>The default display name.</summary>
    public const string DefaultDisplayName = "C# (KernelGateway)";

    /// <summary>The kernels directory for a scope.</summary>
    public static string KernelsDirectory(InstallScope scope, string? prefix = null) => scope switch
    {
        InstallScope.User => Path.Combine(Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "jupyter"), "kernels"),
        InstallScope.SysPrefix => Path.Combine(SysPrefix(), "share", "jupyter", "kernels"),
        InstallScope.Prefix => Path.Combine(prefix ?? throw new ArgumentNullException(nameof(prefix)), "share", "jupyter", "kernels"),
        InstallScope.System => "/usr/local/share/jupyter/kernels",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    /// <summary>The command that starts this kernel, ending with <c>-f {connection_file}</c>.</summary>
    public static IReadOnlyList<string> KernelArgv()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        var isHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var argv = new List<string> { process };
        if (isHost && entry is { Length: > 0 }) argv.Add(entry);
        argv.AddRange(["kernel", "-f", "{connection_file}"]);
        return argv;
    }

    /// <summary>
    /// The process settings the kernelspec starts the kernel with, chosen by measurement (README, "The C# kernel, side
    /// by side"; <c>--suite kernel --env-matrix</c> and <c>--suite scale</c>): tiered compilation off. The compiler and
    /// the kernel are ReadyToRun, so tiering's gain is small, and its cost is not: with it, each kernel recompiled its
    /// hot Roslyn code in the background after its first cells (about 1 s of CPU), which at 20 kernels on 2 cores
    /// was a third of the executes' time; without it the trivial round trip was also shorter (p50 15 vs 19 ms,
    /// p95 21 vs 32 ms) for about 0.1 s more to the first result, and cells' own code is compiled optimized at once.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ProcessSettings { get; } = new Dictionary<string, string>
    {
        ["DOTNET_TieredCompilation"] = "0",
    };

    /// <summary>The kernel.json content.</summary>
    public static JsonObject KernelJson(string displayName, IReadOnlyList<string> argv) => new()
    {
        ["argv"] = new JsonArray(argv.Select(a => (JsonNode)a!).ToArray()),
        ["display_name"] = displayName,
        ["language"] = "C#",
        ["interrupt_mode"] = "message",
        ["kernel_protocol_version"] = Protocol.ProtocolInfo.Version,
        ["env"] = new JsonObject(ProcessSettings.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>Installs (replacing any previous one) and returns the kernelspec directory.</summary>
    public static string Install(InstallScope scope, string? prefix = null, string name = DefaultName, string displayName = DefaultDisplayName, IReadOnlyList<string>? argv = null)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            throw new ArgumentException($"kernelspec name '{name}' may only contain letters, digits, '.', '_' and '-'", nameof(name));
        var dir = Path.Combine(KernelsDirectory(scope, prefix), name);
        var tmp = dir + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        File.WriteAllText(Path.Combine(tmp, "kernel.json"),
            KernelJson(displayName, argv ?? KernelArgv()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllBytes(Path.Combine(tmp, "logo-32x32.png"), Logo.Png(32));
        File.WriteAllBytes(Path.Combine(tmp, "logo-64x64.png"), Logo.Png(64));
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.Move(tmp, dir);
        return dir;
    }

    private static string SysPrefix()
    {
        foreach (var v in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(v) is { Length: > 0 } p) return p;
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import sys; print(sys.prefix)"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode == 0 && output.Length > 0) return output;
        }
        catch (System.ComponentModel.Win32Exception) { }
        return "/usr/local";
    }
}

/// <summary>Draws the kernel logo (a C# hexagon mark in .NET purple) as a PNG.</summary>
internal static class Logo
{
    public static byte[] Png(int size)
    {
        var raw = new byte[size * (size * 4 + 1)];
        var c = (size - 1) / 2.0;
        for (var y = 0; y < size; y++)
        {
            var row = y * (size * 4 + 1);
            raw[row] = 0;
            for (var x = 0; x < size; x++)
            {
                var dx = Math.Abs(x - c) / (size / 2.0);
                var dy = Math.Abs(y - c) / (size / 2.0);
                var inHex = dy <= 0.92 && dx * 0.866 + dy * 0.5 <= 0.92 * 0.866;
                var ring = Math.Sqrt(Math.Pow(x - c * 0.92, 2) + Math.Pow(y - c, 2)) / (size / 2.0);
                var inC = ring is > 0.32 and < 0.5 && x < c * 1.2;
                var i = row + 1 + x * 4;
                if (!inHex) continue;
                (raw[i], raw[i + 1], raw[i + 2], raw[i + 3]) = inC ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)0x51, (byte)0x2B, (byte)0xD4, (byte)255);
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, size);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), size);
        ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
        Chunk(png, "IHDR", ihdr);
        using (var z = new MemoryStream())
        {
            using (var deflate = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(raw);
            Chunk(png, "IDAT", z.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
