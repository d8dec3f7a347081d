namespace KernelGateway.Platform.Spark.Connect;

/// <summary>What <c>EXPLAIN</c> shows (Spark's explain modes).</summary>
public enum SparkExplainMode
{
    /// <summary>The physical plan only.</summary>
    Simple = 1,

    /// <summary>The parsed, analyzed and optimized logical plans and the physical plan.</summary>
    Extended = 2,

    /// <summary>The generated code, if any, and the physical plan.</summary>
    Codegen = 3,

    /// <summary>The logical plan with statistics, when available.</summary>
    Cost = 4,

    /// <summary>An outline of the physical plan and the details of its nodes.</summary>
    Formatted = 5,
}
