using System.Reflection;
using System.Runtime.CompilerServices;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>
/// Pins the public surface of the Trino type system (an approval test): a change to it shows up as a change to
/// <c>TrinoTypesPublicApi.approved.txt</c>, reviewed like code. On a mismatch the test writes the surface it found
/// next to it as <c>.received.txt</c>.
/// </summary>
public sealed class TrinoTypesPublicApiTests
{
    private static readonly Type[] Types =
    [
        typeof(TrinoType), typeof(TrinoField), typeof(TrinoColumn), typeof(TrinoRow), typeof(TrinoYearMonthInterval),
        typeof(TrinoTimeWithTimeZone), typeof(TrinoRowDecoder), typeof(TrinoLiterals), typeof(TrinoArrowBatchBuilder),
    ];

    [Fact]
    public void The_public_surface_is_the_approved_one()
    {
        var surface = string.Join("\n", Types.OrderBy(t => t.Name).SelectMany(Describe)) + "\n";
        var approved = Path.Combine(Folder(), "TrinoTypesPublicApi.approved.txt");
        var received = Path.ChangeExtension(approved, null).Replace(".approved", ".received") + ".txt";
        var expected = File.Exists(approved) ? File.ReadAllText(approved).ReplaceLineEndings("\n") : "";
        if (surface != expected) File.WriteAllText(received, surface);
        else File.Delete(received);
        Assert.True(surface == expected, $"the public surface changed: compare {received} with {approved}");
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static IEnumerable<string> Describe(Type type)
    {
        var kind = type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
        var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType)).Concat(type.GetInterfaces())
            .Select(t => Name(t!)).Order(StringComparer.Ordinal);
        yield return $"{kind} {type.FullName}{(bases.Any() ? " : " + string.Join(", ", bases) : "")}";
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var members = type.GetMembers(Public).Where(m => m is not MethodInfo { IsSpecialName: true }).Select(Member).Where(m => m is not null);
        foreach (var member in members.Order(StringComparer.Ordinal)) yield return "  " + member;
    }

    private static string? Member(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m when m.Name is "<Clone>$" or "Deconstruct" or "PrintMembers" => null, // generated for records
        MethodInfo m => $"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}({Parameters(m)})",
        PropertyInfo p when p.Name == "EqualityContract" => null,
        PropertyInfo p => $"{Name(p.PropertyType)} {p.Name}{(p.GetIndexParameters() is { Length: > 0 } i ? "[" + string.Join(", ", i.Select(x => Name(x.ParameterType))) + "]" : "")} {{ get;{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Length > 0 ? " init;" : " set;") : "")} }}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}",
        _ => null,
    };

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => (p.ParameterType.IsByRef ? (p.IsOut ? "out " : "ref ") : "") + Name(p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType)));

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.IsArray ? Name(type.GetElementType()!) + "[]" : type.Name;
}
