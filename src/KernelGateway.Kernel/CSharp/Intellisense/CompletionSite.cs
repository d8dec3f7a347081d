namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>What may be written where a word is being typed.</summary>
internal enum CompletionSite
{
    /// <summary>The start of a statement: statement and expression keywords, everything in scope.</summary>
    Statement,

    /// <summary>The start of an expression: expression keywords, everything in scope.</summary>
    Expression,

    /// <summary>A type only (<c>new</c>, <c>is</c>, <c>typeof(</c>, a type argument): types, namespaces, built-in type keywords.</summary>
    Type,

    /// <summary><c>using</c> directive: namespaces, and <c>static</c>.</summary>
    UsingNamespace,

    /// <summary><c>using static</c> or an alias's target: namespaces and types.</summary>
    UsingType,

    /// <summary>The name a declaration introduces: no completions.</summary>
    Name,

    /// <summary>Anywhere else (e.g. after an expression on a line without its semicolon): everything in scope, no keywords.</summary>
    Other,
}
