using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// Puts a run's parameters into a notebook as papermill does: a code cell tagged <c>injected-parameters</c>
/// replaces an earlier injected cell where there is one, else follows the first cell tagged <c>parameters</c>,
/// else heads the notebook; its source is the translator's. No parameters, no cell.
/// </summary>
public static class ParameterInjection
{
    /// <summary>The tag of the cell that holds the defaults.</summary>
    public const string ParametersTag = "parameters";
    /// <summary>The tag of the cell a run injects.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The language to translate for: <paramref name="overrideLanguage"/>, else the notebook's kernelspec language, else its language_info name.</summary>
    /// <exception cref="InvalidOperationException">The notebook names no language and none was given.</exception>
    public static string Language(NotebookDocument notebook, string? overrideLanguage) =>
        overrideLanguage
        ?? notebook.Root["metadata"]?["kernelspec"]?["language"]?.GetValue<string>()
        ?? notebook.Root["metadata"]?["language_info"]?["name"]?.GetValue<string>()
        ?? throw new InvalidOperationException("the notebook names no kernel language (metadata.kernelspec.language or language_info.name): give one with --language");

    /// <summary>Injects the parameters; returns the index of the injected cell, or -1 when there were none.</summary>
    public static int Inject(NotebookDocument notebook, IReadOnlyDictionary<string, object?> parameters, ParameterTranslator translator)
    {
        if (parameters.Count == 0) return -1;
        var cell = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N")[..8],
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray(InjectedTag) },
            ["outputs"] = new JsonArray(),
            ["source"] = translator.Cell(parameters),
        };
        var cells = notebook.Cells;
        var injected = IndexOfTag(cells, InjectedTag);
        if (injected >= 0)
        {
            cells.RemoveAt(injected);
            cells.Insert(injected, cell);
            return injected;
        }
        var tagged = IndexOfTag(cells, ParametersTag);
        var at = tagged >= 0 ? tagged + 1 : 0;
        cells.Insert(at, cell);
        return at;
    }

    private static int IndexOfTag(JsonArray cells, string tag)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is { } c && NotebookDocument.HasTag(c, tag)) return i;
        }
        return -1;
    }
}
