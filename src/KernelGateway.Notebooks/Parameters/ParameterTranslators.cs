namespace KernelGateway.Notebooks.Parameters;

/// <summary>The translators, found by kernel language (case-insensitive): C#, Python, F#, PowerShell, R, Scala, Bash.</summary>
public static class ParameterTranslators
{
    private static readonly ParameterTranslator[] All =
        [new CSharpParameters(), new PythonParameters(), new FSharpParameters(), new PowerShellParameters(), new RParameters(), new ScalaParameters(), new BashParameters()];

    /// <summary>Every language name a translator serves.</summary>
    public static IEnumerable<string> Languages => All.SelectMany(t => t.Languages);

    /// <summary>The translator for a kernel language.</summary>
    /// <exception cref="NotSupportedException">No translator serves it; the message lists those that exist.</exception>
    public static ParameterTranslator For(string language) =>
        All.FirstOrDefault(t => t.Languages.Contains(language.Trim(), StringComparer.OrdinalIgnoreCase))
        ?? throw new NotSupportedException($"no parameter translator for the language '{language}' (there are: {string.Join(", ", All.Select(t => t.Languages[0]))}); use --language to name one");
}
