using KernelGateway.Notebooks.Summaries;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql.Jobs;

/// <summary>
/// The preloaded <c>Jobs</c> object: notebooks-as-jobs in a cell. <c>Jobs.Summarize("runs/*.ipynb")</c> is
/// <c>kernelgateway summarize</c> as a DataFrame — one row per output notebook: path, status, duration, failing
/// cell, parameters and scraps (values that are not text as their JSON) — to compare the runs of a template.
/// </summary>
public sealed class JobsInCells
{
    /// <summary>Summarises the output notebooks the patterns name (paths, or <c>dir/*.ipynb</c>).</summary>
    /// <exception cref="FileNotFoundException">No notebook matched.</exception>
    /// <exception cref="InvalidDataException">A notebook could not be read.</exception>
    public DataFrame Summarize(params string[] patterns)
    {
        var paths = patterns.SelectMany(RunSummaries.Expand).Distinct().ToList();
        if (paths.Count == 0) throw new FileNotFoundException($"no notebook matches {string.Join(", ", patterns)}");
        var rows = paths.Select(RunSummaries.Read).ToList();
        var columns = RunSummaries.Columns(rows);
        var cells = rows.Select(r => RunSummaries.Cells(r, columns)).ToList();
        var frame = new DataFrame();
        for (var c = 0; c < columns.Count; c++)
        {
            var values = cells.Select(row => row[c]).ToList();
            if (columns[c] == "duration_s")
                frame.Columns.Add(new DoubleDataFrameColumn(columns[c], values.Select(v => v is null ? (double?)null : v.GetValue<double>())));
            else if (columns[c] == "failing_cell")
                frame.Columns.Add(new Int32DataFrameColumn(columns[c], values.Select(v => v is null ? (int?)null : v.GetValue<int>())));
            else
                frame.Columns.Add(new StringDataFrameColumn(columns[c], values.Select(v => v is null ? null : RunSummaries.Text(v))));
        }
        return frame;
    }

    /// <inheritdoc />
    public override string ToString() => "Jobs: Summarize(\"runs/*.ipynb\") gives the runs' parameters, status and scraps as a DataFrame";
}
