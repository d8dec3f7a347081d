namespace KernelGateway.Protocol.Messages;

/// <summary><c>shutdown_request</c> (no status) and <c>shutdown_reply</c> (status <c>ok</c>) content.</summary>
public sealed record ShutdownContent(bool Restart, string? Status = null);

/// <summary><c>interrupt_reply</c> (and other bare replies) content.</summary>
public sealed record StatusReply(string Status = "ok");

/// <summary>An error reply to any request: status <c>error</c> with ename, evalue and traceback.</summary>
public sealed record ErrorReply(string Ename, string Evalue, List<string> Traceback, string Status = "error");

/// <summary><c>input_request</c> content.</summary>
public sealed record InputRequest(string Prompt, bool Password);

/// <summary><c>input_reply</c> content.</summary>
public sealed record InputReply(string Value);
