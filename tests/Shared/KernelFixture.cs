using KernelGateway.Zmq;

namespace KernelGateway.Tests;

/// <summary>
/// One real kernel process shared by the tests of a class (state left between tests does not matter to them).
/// A derived fixture starts what its kernel needs first (protocol servers, a seeded warehouse) and gives the
/// kernel's environment; what it started is stopped after the kernel.
/// </summary>
public class KernelFixture : IAsyncLifetime
{
    /// <summary>The kernel process.</summary>
    public KernelProcessHandle Kernel { get; private set; } = null!;

    /// <summary>A client connected to it.</summary>
    public KernelClient Client { get; private set; } = null!;

    /// <summary>Starts what the kernel needs and returns its environment; none by default.</summary>
    protected virtual Task<Dictionary<string, string>> PrepareAsync() => Task.FromResult(new Dictionary<string, string>());

    /// <summary>Stops what <see cref="PrepareAsync"/> started; runs after the kernel has been stopped.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => (Kernel, Client) = await KernelProcessHandle.StartAsync(environment: await PrepareAsync());

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Kernel is not null) await Kernel.DisposeAsync();
        await CleanUpAsync();
    }
}
