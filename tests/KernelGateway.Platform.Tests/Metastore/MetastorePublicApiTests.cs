using System.Runtime.CompilerServices;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>Pins the metastore's public surface (the %metastore magic and the gateway's HTTP API build on it): a change shows up as a diff of MetastorePublicApi.approved.txt.</summary>
public sealed class MetastorePublicApiTests
{
    [Fact]
    public void The_metastores_public_surface_is_the_approved_one() =>
        PublicSurface.AssertApproved(Path.Combine(Path.GetDirectoryName(SourceFile())!, "MetastorePublicApi.approved.txt"), typeof(KernelGateway.Platform.Metastore.MetastoreClient));

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
