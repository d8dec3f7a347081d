using System.Collections.Concurrent;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Policy;

namespace KernelGateway.Gateway.Sessions;

/// <summary>
/// Sessions in memory: each binds a path, name and type to a kernel of <see cref="KernelManager"/>. A session whose
/// kernel has been shut down is dropped.
/// </summary>
public sealed class SessionManager(KernelManager kernels)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly SemaphoreSlim _create = new(1, 1);

    private sealed record Session(string Id, string Path, string Name, string Type, string KernelId);

    /// <summary>Every live session.</summary>
    public IReadOnlyList<SessionModel> List() =>
        _sessions.Values.Select(ToModel).OfType<SessionModel>().OrderBy(s => s.Path, StringComparer.Ordinal).ToList();

    /// <summary>One session.</summary>
    /// <exception cref="GatewayException">404: no such session.</exception>
    public SessionModel Get(string id) =>
        (_sessions.TryGetValue(id, out var s) ? ToModel(s) : null) ?? throw new GatewayException(404, $"Session not found: {id}");

    /// <summary>
    /// Returns the session of <paramref name="path"/> when there is one; otherwise creates one, on the existing kernel
    /// <paramref name="kernelId"/> or on a new kernel of <paramref name="kernelName"/>.
    /// </summary>
    /// <exception cref="GatewayException">404: unknown kernel or kernelspec; 403: kernel limit.</exception>
    public async Task<SessionModel> CreateAsync(string path, string name, string type, string? kernelId, string? kernelName,
        IReadOnlyDictionary<string, string>? env, CancellationToken cancellationToken)
    {
        await _create.WaitAsync(cancellationToken);
        try
        {
            if (path.Length > 0 && _sessions.Values.FirstOrDefault(s => s.Path == path) is { } existing && ToModel(existing) is { } model)
                return model;
            var kernel = kernelId is not null ? kernels.Get(kernelId) : await kernels.StartAsync(kernelName, env, cancellationToken);
            var session = new Session(Guid.NewGuid().ToString(), path, name, type, kernel.Id);
            _sessions[session.Id] = session;
            return ToModel(session)!;
        }
        finally
        {
            _create.Release();
        }
    }

    /// <summary>Changes a session's path, name or type, or moves it to another kernel (an existing one by id, or a new one by name; the old kernel is shut down).</summary>
    /// <exception cref="GatewayException">404: unknown session, kernel or kernelspec.</exception>
    public async Task<SessionModel> UpdateAsync(string id, string? path, string? name, string? type, string? kernelId, string? kernelName, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(id, out var session) || ToModel(session) is null) throw new GatewayException(404, $"Session not found: {id}");
        var updated = session with { Path = path ?? session.Path, Name = name ?? session.Name, Type = type ?? session.Type };
        if (kernelId is not null && kernelId != session.KernelId)
            updated = updated with { KernelId = kernels.Get(kernelId).Id };
        else if (kernelId is null && kernelName is not null)
            updated = updated with { KernelId = (await kernels.StartAsync(kernelName, null, cancellationToken)).Id };
        _sessions[id] = updated;
        if (updated.KernelId != session.KernelId && !_sessions.Values.Any(s => s.KernelId == session.KernelId))
        {
            try { await kernels.ShutdownAsync(session.KernelId, cancellationToken); }
            catch (GatewayException) { }
        }
        return ToModel(updated) ?? throw new GatewayException(404, $"Session not found: {id}");
    }

    /// <summary>Deletes a session and shuts its kernel down.</summary>
    /// <exception cref="GatewayException">404: no such session.</exception>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!_sessions.TryRemove(id, out var session)) throw new GatewayException(404, $"Session not found: {id}");
        try { await kernels.ShutdownAsync(session.KernelId, cancellationToken); }
        catch (GatewayException e) when (e.StatusCode == 404) { }
    }

    private SessionModel? ToModel(Session s)
    {
        if (kernels.Find(s.KernelId) is not { } kernel)
        {
            _sessions.TryRemove(s.Id, out _);
            return null;
        }
        return new SessionModel(s.Id, s.Path, s.Name, s.Type, kernel.ToModel(), new NotebookRef(s.Path, s.Name));
    }
}
