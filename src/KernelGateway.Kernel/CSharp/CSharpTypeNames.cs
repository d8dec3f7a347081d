namespace KernelGateway.Kernel.CSharp;

/// <summary>How a type is spelled in C# source: <c>global::A.B.C&lt;global::System.Int32&gt;</c>, nested types with dots.</summary>
internal static class CSharpTypeNames
{
    public static string Of(Type type)
    {
        if (type.IsArray) return Of(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (type.IsGenericParameter) return type.Name;
        var outer = type.DeclaringType is { } declaring && !type.IsGenericParameter ? Of(declaring) + "." : "global::" + (type.Namespace is { Length: > 0 } ns ? ns + "." : "");
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick < 0) return outer + name;
        // Only the arguments of this type, not those its declaring type already took.
        var own = type.GetGenericArguments().Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0);
        return outer + name[..tick] + "<" + string.Join(", ", own.Select(Of)) + ">";
    }
}
