using System.Reflection;
using System.Runtime.CompilerServices;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Tests.Fixtures.Spark.Livy;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>Pins the public surface of the Livy client and of its fixture: a change shows up as a diff of the approved files.</summary>
public sealed class LivyPublicApiTests
{
    [Fact]
    public void The_livy_clients_public_surface_is_the_approved_one() => Approve("LivyClientPublicApi", typeof(LivyClient));

    [Fact]
    public void The_livy_fixtures_public_surface_is_the_approved_one() => Approve("LivyFixturePublicApi", typeof(LivyServer));

    private static void Approve(string name, Type anchor)
    {
        var approved = Path.Combine(Path.GetDirectoryName(SourceFile())!, name + ".approved.txt");
        var actual = string.Join('\n', Surface(anchor)) + "\n";
        if (!File.Exists(approved) || File.ReadAllText(approved) != actual) File.WriteAllText(approved.Replace(".approved.", ".received.", StringComparison.Ordinal), actual);
        Assert.Equal(File.Exists(approved) ? File.ReadAllText(approved) : "", actual);
    }

    private static IEnumerable<string> Surface(Type anchor) =>
        anchor.Assembly.GetExportedTypes()
            .Where(t => t.Namespace == anchor.Namespace)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => new[] { $"{Kind(t)} {t.FullName}" }.Concat(Members(t)));

    private static IEnumerable<string> Members(Type t) =>
        t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.Name.Contains('<') && m is not MethodInfo { IsSpecialName: true } && m.Name != "EqualityContract")
            .Select(m => "  " + m)
            .Order(StringComparer.Ordinal);

    private static string Kind(Type t) => t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsInterface ? "interface" : "class";

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
