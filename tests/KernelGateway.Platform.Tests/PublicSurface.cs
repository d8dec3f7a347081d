using System.Reflection;

namespace KernelGateway.Platform.Tests;

/// <summary>
/// The public surface of a namespace as text, one line per type and member, and its check against an approved file
/// (a difference is written beside it as <c>.received.txt</c>). Enums and operators are listed; the older copies of
/// this listing in the Livy, Trino and Spark fixture tests leave them out, so their approved files differ.
/// </summary>
internal static class PublicSurface
{
    public static void AssertApproved(string approvedPath, Type anchor)
    {
        var actual = string.Join('\n', Of(anchor)) + "\n";
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : "";
        if (approved != actual) File.WriteAllText(approvedPath.Replace(".approved.", ".received.", StringComparison.Ordinal), actual);
        Assert.Equal(approved, actual);
    }

    /// <summary>Every exported type of the anchor's namespace and their public members, sorted.</summary>
    public static IEnumerable<string> Of(Type anchor) =>
        anchor.Assembly.GetExportedTypes()
            .Where(t => t.Namespace == anchor.Namespace)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => new[] { $"{Kind(t)} {t.FullName}" }.Concat(Members(t)));

    private static IEnumerable<string> Members(Type t) =>
        t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.Name.Contains('<') && m is not MethodInfo { IsSpecialName: true } || m.Name.StartsWith("op_", StringComparison.Ordinal))
            .Where(m => m.Name != "EqualityContract")
            .Select(m => "  " + m)
            .Order(StringComparer.Ordinal);

    private static string Kind(Type t) => t.IsEnum ? "enum" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsInterface ? "interface" : "class";
}
