using System.Reflection;
using System.Runtime.CompilerServices;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Pins the public surface of the Spark Connect fixture (other engineers' tests build on it): a change shows up as
/// a diff of FixturePublicApi.approved.txt.</summary>
public sealed class FixturePublicApiTests
{
    [Fact]
    public void The_spark_connect_fixtures_public_surface_is_the_approved_one()
    {
        var approved = Path.Combine(Path.GetDirectoryName(SourceFile())!, "FixturePublicApi.approved.txt");
        var actual = string.Join('\n', Surface()) + "\n";
        if (!File.Exists(approved) || File.ReadAllText(approved) != actual)
        {
            File.WriteAllText(approved.Replace(".approved.", ".received."), actual);
        }
        Assert.Equal(File.Exists(approved) ? File.ReadAllText(approved) : "", actual);
    }

    private static IEnumerable<string> Surface() =>
        typeof(SparkConnectServer).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(SparkConnectServer).Namespace)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => new[] { $"{Kind(t)} {t.FullName}" }.Concat(Members(t)));

    private static IEnumerable<string> Members(Type t) =>
        t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.Name.Contains('<') && m is not MethodInfo { IsSpecialName: true } && m.Name != "EqualityContract")
            .Select(m => "  " + m)
            .Order(StringComparer.Ordinal);

    private static string Kind(Type t) => t.IsEnum ? "enum" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsInterface ? "interface" : "class";

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
