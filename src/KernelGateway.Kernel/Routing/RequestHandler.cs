using KernelGateway.Protocol;

namespace KernelGateway.Kernel.Routing;

/// <summary>Serves one request (or comm message) that arrived on <paramref name="channel"/>; the router brackets it with busy/idle and catches what it throws.</summary>
internal delegate Task RequestHandler(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken);
