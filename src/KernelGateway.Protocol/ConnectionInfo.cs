using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelGateway.Protocol;

/// <summary>A kernel connection file: transport, address, the five ports and the signing key.</summary>
public sealed record ConnectionInfo
{
    /// <summary><c>tcp</c> (default) or <c>ipc</c>.</summary>
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    /// <summary>The address the kernel binds; 127.0.0.1 by default.</summary>
    [JsonPropertyName("ip")] public string IP { get; init; } = "127.0.0.1";
    /// <summary>The shell ROUTER port.</summary>
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    /// <summary>The iopub PUB/XPUB port.</summary>
    [JsonPropertyName("iopub_port")] public int IOPubPort { get; init; }
    /// <summary>The stdin ROUTER port.</summary>
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    /// <summary>The control ROUTER port.</summary>
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    /// <summary>The heartbeat REP port.</summary>
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }
    /// <summary>The HMAC key; empty disables signing.</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    /// <summary>The signature scheme; <c>hmac-sha256</c> by default.</summary>
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";
    /// <summary>The kernel name, when the launcher wrote it.</summary>
    [JsonPropertyName("kernel_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KernelName { get; init; }

    /// <summary>The ZMQ endpoint of a channel, e.g. <c>tcp://127.0.0.1:5555</c>.</summary>
    public string Endpoint(KernelChannel channel)
    {
        var port = channel switch
        {
            KernelChannel.Shell => ShellPort,
            KernelChannel.Control => ControlPort,
            KernelChannel.IOPub => IOPubPort,
            KernelChannel.Stdin => StdinPort,
            KernelChannel.Heartbeat => HeartbeatPort,
            _ => throw new ArgumentOutOfRangeException(nameof(channel)),
        };
        return Transport == "ipc" ? $"ipc://{IP}-{port}" : $"tcp://{IP}:{port}";
    }

    /// <summary>A signer for this connection's key and scheme.</summary>
    public MessageSigner CreateSigner() => new(Key, SignatureScheme);

    /// <summary>Reads a connection file.</summary>
    /// <exception cref="InvalidDataException">The file is not a connection file.</exception>
    public static ConnectionInfo Load(string path)
    {
        try
        {
            var info = JsonSerializer.Deserialize(File.ReadAllBytes(path), ProtocolJsonContext.Default.ConnectionInfo);
            return info ?? throw new InvalidDataException($"{path}: empty connection file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a connection file: {e.Message}", e);
        }
    }

    /// <summary>Writes the file atomically (temporary file, then rename), readable by the owner only.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(tmp, options))
        {
            JsonSerializer.Serialize(stream, this, ProtocolJsonContext.Default.ConnectionInfo);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>A new connection on 127.0.0.1 with five free ports and a random 256-bit key.</summary>
    public static ConnectionInfo CreateLocal(string ip = "127.0.0.1")
    {
        var ports = FreePorts(IPAddress.Parse(ip), 5);
        return new ConnectionInfo
        {
            IP = ip,
            ShellPort = ports[0],
            IOPubPort = ports[1],
            StdinPort = ports[2],
            ControlPort = ports[3],
            HeartbeatPort = ports[4],
            Key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
    }

    /// <summary>A free TCP port on 127.0.0.1 for a server (never one handed out to a kernel or a caller lately).</summary>
    public static int FreeLocalPort() => FreePorts(IPAddress.Loopback, 1)[0];

    // Ports handed out lately, so that two kernels started close together never get the same one: the OS may
    // give a port freed here to the next bind(0) before the first kernel has bound it.
    private static readonly Dictionary<int, long> Issued = [];
    private static readonly TimeSpan IssuedMemory = TimeSpan.FromMinutes(2);

    private static int[] FreePorts(IPAddress address, int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            var now = Environment.TickCount64;
            lock (Issued)
            {
                foreach (var (port, at) in Issued.ToList())
                    if (now - at > IssuedMemory.TotalMilliseconds) Issued.Remove(port);
                var ports = new List<int>();
                // Listeners stay open while choosing, so one call never repeats a port either.
                for (var attempts = 0; ports.Count < count; attempts++)
                {
                    var l = new TcpListener(address, 0);
                    l.Start();
                    listeners.Add(l);
                    var port = ((IPEndPoint)l.LocalEndpoint).Port;
                    if (Issued.ContainsKey(port) && attempts < 1000) continue;
                    ports.Add(port);
                }
                foreach (var port in ports) Issued[port] = now;
                return ports.ToArray();
            }
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
