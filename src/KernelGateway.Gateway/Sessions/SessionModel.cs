using KernelGateway.Gateway.Kernels;

namespace KernelGateway.Gateway.Sessions;

/// <summary>A session as the REST API shows it: a path (notebook) bound to a kernel.</summary>
/// <param name="Id">The session id, a UUID.</param>
/// <param name="Path">The path of the document the session is for.</param>
/// <param name="Name">The session's name.</param>
/// <param name="Type">The session type, e.g. <c>notebook</c> or <c>console</c>.</param>
/// <param name="Kernel">The kernel's model.</param>
/// <param name="Notebook">The path and name again, in the older notebook-server shape.</param>
public sealed record SessionModel(string Id, string Path, string Name, string Type, KernelModel Kernel, NotebookRef Notebook);

/// <summary>The <c>notebook</c> field of a session (Notebook 5/6 clients read it).</summary>
/// <param name="Path">The path.</param>
/// <param name="Name">The name.</param>
public sealed record NotebookRef(string Path, string Name);
