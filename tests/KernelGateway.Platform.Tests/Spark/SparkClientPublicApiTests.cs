using System.Runtime.CompilerServices;
using KernelGateway.Platform.Spark.Connect;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Pins the public surface of the Spark Connect client (notebook cells and the extensions build on it): a change shows up as a diff of SparkClientPublicApi.approved.txt.</summary>
public sealed class SparkClientPublicApiTests
{
    [Fact]
    public void The_spark_connect_clients_public_surface_is_the_approved_one() =>
        PublicSurface.AssertApproved(Path.Combine(Path.GetDirectoryName(SourceFile())!, "SparkClientPublicApi.approved.txt"), typeof(SparkConnectClient));

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
