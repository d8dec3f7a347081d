namespace KernelGateway.Platform.Spark.Livy;

/// <summary>The code kinds of sessions and statements (Livy's <c>Kind.scala</c>; it also reads <c>scala</c>, <c>python</c> and <c>r</c> as aliases).</summary>
public static class LivyKinds
{
    /// <summary>Scala.</summary>
    public const string Spark = "spark";

    /// <summary>Python.</summary>
    public const string PySpark = "pyspark";

    /// <summary>R.</summary>
    public const string SparkR = "sparkr";

    /// <summary>Spark SQL: the output is a typed table (<c>application/json</c> <c>{schema, data}</c>).</summary>
    public const string Sql = "sql";

    /// <summary>What a session created without a kind reports: every statement then names its kind.</summary>
    public const string Shared = "shared";

    /// <summary>The kind Livy understands for a name or alias (<c>scala</c> → spark, <c>python</c> → pyspark, <c>r</c> → sparkr).</summary>
    /// <exception cref="ArgumentException">Not a kind.</exception>
    public static string Normalize(string kind) => kind.Trim().ToLowerInvariant() switch
    {
        "spark" or "scala" => Spark,
        "pyspark" or "python" => PySpark,
        "sparkr" or "r" => SparkR,
        "sql" => Sql,
        "shared" => Shared,
        var other => throw new ArgumentException($"unknown Livy code kind '{other}' (spark, pyspark, sparkr or sql)"),
    };
}
