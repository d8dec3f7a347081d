using System.Runtime.CompilerServices;
using KernelGateway.Tests.Fixtures.Iceberg;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>Pins the Iceberg catalog fixture's public surface (the seed API, options, faults and the call record tests assert on).</summary>
public sealed class IcebergFixturePublicApiTests
{
    [Fact]
    public void The_iceberg_fixtures_public_surface_is_the_approved_one() =>
        PublicSurface.AssertApproved(Path.Combine(Path.GetDirectoryName(SourceFile())!, "IcebergFixturePublicApi.approved.txt"), typeof(IcebergRestServer));

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
