namespace KernelGateway.Gateway.Policy;

/// <summary>The body of every error response, as Kernel Gateway writes it.</summary>
/// <param name="Reason">The HTTP reason phrase, e.g. <c>Not Found</c>.</param>
/// <param name="Message">What went wrong.</param>
public sealed record ErrorBody(string Reason, string Message);
