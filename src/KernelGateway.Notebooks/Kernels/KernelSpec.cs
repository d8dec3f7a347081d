using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Notebooks.Kernels;

/// <summary>An installed kernelspec: its name, directory and kernel.json.</summary>
public sealed record KernelSpec(string Name, string ResourceDirectory, JsonObject Json)
{
    /// <summary>argv with <c>{connection_file}</c>.</summary>
    public IReadOnlyList<string> Argv => Json["argv"]?.AsArray().Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];

    /// <summary>The display name.</summary>
    public string DisplayName => Json["display_name"]?.GetValue<string>() ?? Name;

    /// <summary>The language.</summary>
    public string Language => Json["language"]?.GetValue<string>() ?? "";

    /// <summary><c>signal</c> (default) or <c>message</c>.</summary>
    public string InterruptMode => Json["interrupt_mode"]?.GetValue<string>() ?? "signal";

    /// <summary>Extra environment, with <c>${VAR}</c> not yet substituted.</summary>
    public IReadOnlyDictionary<string, string> Env =>
        Json["env"] is JsonObject env ? env.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "") : new Dictionary<string, string>();
}

/// <summary>
/// Finds kernelspecs on the Jupyter data paths, in the order <c>jupyter kernelspec list</c> uses:
/// <c>JUPYTER_PATH</c> entries, the user data directory, then the system directories. The first one found
/// for a name wins.
/// </summary>
public static class KernelSpecCatalog
{
    /// <summary>The kernels directories searched, first wins.</summary>
    public static IReadOnlyList<string> SearchPaths()
    {
        var paths = new List<string>();
        if (Environment.GetEnvironmentVariable("JUPYTER_PATH") is { Length: > 0 } jp)
            paths.AddRange(jp.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        paths.Add(Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } dd
            ? dd
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share"), "jupyter"));
        foreach (var v in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(v) is { Length: > 0 } p) paths.Add(Path.Combine(p, "share", "jupyter"));
        paths.Add("/usr/local/share/jupyter");
        paths.Add("/usr/share/jupyter");
        return paths.Select(p => Path.Combine(p, "kernels")).Distinct().ToList();
    }

    /// <summary>All kernelspecs found, by name.</summary>
    public static IReadOnlyDictionary<string, KernelSpec> FindAll()
    {
        var specs = new Dictionary<string, KernelSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var dir in SearchPaths())
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var specDir in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(specDir);
                if (specs.ContainsKey(name)) continue;
                var spec = TryLoad(name, specDir);
                if (spec is not null) specs[name] = spec;
            }
        }
        return specs;
    }

    /// <summary>One kernelspec by name, or null.</summary>
    public static KernelSpec? Find(string name) => FindAll().GetValueOrDefault(name);

    private static KernelSpec? TryLoad(string name, string dir)
    {
        var file = Path.Combine(dir, "kernel.json");
        if (!File.Exists(file)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) is JsonObject json && json["argv"] is JsonArray ? new KernelSpec(name, dir, json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
