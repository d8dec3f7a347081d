namespace KernelGateway.Tests;

/// <summary>What /proc says about a process's children (a gateway's kernels).</summary>
public static class ProcessTree
{
    /// <summary>The ids of the direct children of process <paramref name="pid"/> (each of its threads lists the children it started); none once it has gone.</summary>
    public static IReadOnlyList<int> ChildIds(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try { children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)); }
                catch (IOException) { }
            }
        }
        catch (IOException) { }
        return children;
    }
}
