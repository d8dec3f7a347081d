using KernelGateway.Tests;
using KernelGateway.Zmq;

namespace KernelGateway.Kernel.Tests;

/// <summary>One real kernel process shared by the tests of a class (state between tests does not matter to them).</summary>
public sealed class KernelFixture : IAsyncLifetime
{
    public KernelProcessHandle Kernel { get; private set; } = null!;
    public KernelClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => (Kernel, Client) = await KernelProcessHandle.StartAsync(keepAllMessages: false);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Kernel.DisposeAsync();
    }
}
