using System.Reflection;
using System.Runtime.CompilerServices;
using KernelGateway.Platform.Spark.Connect;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Pins the public surface of the Spark Connect client (notebook cells and the extensions build on it): a change shows up as a diff of SparkClientPublicApi.approved.txt.</summary>
public sealed class SparkClientPublicApiTests
{
    [Fact]
    public void The_spark_connect_clients_public_surface_is_the_approved_one()
    {
        var approved = Path.Combine(Path.GetDirectoryName(SourceFile())!, "SparkClientPublicApi.approved.txt");
        var actual = string.Join('\n', Surface()) + "\n";
        if (!File.Exists(approved) || File.ReadAllText(approved) != actual) File.WriteAllText(approved.Replace(".approved.", ".received.", StringComparison.Ordinal), actual);
        Assert.Equal(File.Exists(approved) ? File.ReadAllText(approved) : "", actual);
    }

    private static IEnumerable<string> Surface() =>
        typeof(SparkConnectClient).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(SparkConnectClient).Namespace)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => new[] { $"{Kind(t)} {t.FullName}" }.Concat(Members(t)));

    private static IEnumerable<string> Members(Type t) =>
        t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.Name.Contains('<') && m is not MethodInfo { IsSpecialName: true } || m.Name.StartsWith("op_", StringComparison.Ordinal))
            .Where(m => m.Name != "EqualityContract")
            .Select(m => "  " + m)
            .Order(StringComparer.Ordinal);

    private static string Kind(Type t) => t.IsEnum ? "enum" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsInterface ? "interface" : "class";

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
