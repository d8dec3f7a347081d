using KernelGateway.Tests;

namespace KernelGateway.Kernel.Tests;

/// <summary>A shared kernel that logs at Debug: its stderr says when each message arrives (<c>shell &lt;- execute_request</c>), an event tests can wait for.</summary>
public sealed class DebugLogKernelFixture : KernelFixture
{
    protected override Task<Dictionary<string, string>> PrepareAsync() =>
        Task.FromResult(new Dictionary<string, string> { ["KG_LOG_LEVEL"] = "Debug" });
}
