using System.Text;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Metastore;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Metastore;

/// <summary>
/// <c>%metastore</c>: the federated catalog of every named connection, shown as tables. Alone, the connections and
/// their catalogs; <c>catalogs [connection]</c>, <c>schemas connection.catalog</c>, <c>tables
/// connection.catalog.schema [--like pattern]</c>, <c>describe table</c> (columns, then partitions, properties and
/// snapshots when present), <c>search text</c> (ranked hits), <c>refresh [connection]</c>. <c>--out name</c> also
/// assigns the first table shown to a C# variable (a DataFrame, as <c>%%sql --out</c> does). Connections that did not
/// answer are listed after the table; a bad address or subcommand is a <c>UsageError</c>, a missing or failing
/// object a <c>MetastoreError</c> naming the connection.
/// </summary>
internal sealed class MetastoreMagic(MetastoreClient metastore) : IMagic
{
    public string Name => "metastore";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => "Browse the catalogs of every connection: " + MetastoreArguments.Usage + ".";

    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        MetastoreArguments args;
        try
        {
            args = MetastoreArguments.Parse(invocation.Arguments);
        }
        catch (ArgumentException e)
        {
            return Usage(e.Message);
        }
        if (args.Verb == "help")
        {
            invocation.Sink.Stream("stdout", "Usage: " + MetastoreArguments.Usage + "\n");
            return ExecutionOutcome.Ok();
        }
        var variables = invocation.Engine as IVariableStore;
        if (args.Out is not null && variables is null) return Usage("--out needs an engine with variables");
        MetastoreView view;
        try
        {
            view = await ViewAsync(args, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return Usage(e is ArgumentException { ParamName: { } param } ? e.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal) : e.Message);
        }
        catch (MetastoreException e)
        {
            return ExecutionOutcome.Failed("MetastoreError", e.ToError().ToString(), [$"MetastoreError: {e.ToError()}"]);
        }
        if (args.Out is { } name)
            await variables!.SetVariableAsync(name, MetastoreFrames.From(view.Sections[0]), typeof(DataFrame), cancellationToken).ConfigureAwait(false);
        Show(view, invocation.Sink);
        return ExecutionOutcome.Ok();
    }

    private async Task<MetastoreView> ViewAsync(MetastoreArguments args, CancellationToken cancellationToken)
    {
        if (args.Like is not null && args.Verb != "tables") throw new ArgumentException("--like applies to `%metastore tables` only");
        return args.Verb switch
        {
            "connections" => Expect(args, 0, 0) ?? MetastoreViews.Connections(
                await metastore.ListConnectionsAsync(cancellationToken).ConfigureAwait(false),
                await metastore.ListCatalogsAsync(null, cancellationToken).ConfigureAwait(false)),
            "catalogs" => Expect(args, 0, 1) ?? MetastoreViews.Catalogs(await metastore.ListCatalogsAsync(args.Operands.FirstOrDefault(), cancellationToken).ConfigureAwait(false)),
            "schemas" => Expect(args, 1, 1) ?? MetastoreViews.Schemas(await metastore.ListSchemasAsync(args.Operands[0], cancellationToken).ConfigureAwait(false)),
            "tables" => Expect(args, 1, 1) ?? MetastoreViews.Tables(await metastore.ListTablesAsync(args.Operands[0], cancellationToken).ConfigureAwait(false), args.Like),
            "describe" => Expect(args, 1, 1) ?? MetastoreViews.Describe(await metastore.DescribeAsync(args.Operands[0], cancellationToken).ConfigureAwait(false)),
            "search" => args.Operands.Count == 0 ? throw new ArgumentException("`%metastore search` needs the text to look for")
                : MetastoreViews.Search(await metastore.SearchAsync(string.Join(' ', args.Operands).Trim('"'), cancellationToken: cancellationToken).ConfigureAwait(false)),
            "refresh" => Expect(args, 0, 1) ?? MetastoreViews.Catalogs(await metastore.RefreshAsync(args.Operands.FirstOrDefault(), cancellationToken).ConfigureAwait(false)),
            _ => throw new ArgumentException($"unknown subcommand '{args.Verb}'; usage: {MetastoreArguments.Usage}"),
        };
    }

    /// <summary>Throws when the subcommand has too few or too many operands; returns null so the caller goes on.</summary>
    private static MetastoreView? Expect(MetastoreArguments args, int least, int most)
    {
        var what = args.Verb switch
        {
            "schemas" => "a catalog address, connection.catalog",
            "tables" => "a schema address, connection.catalog.schema",
            "describe" => "a table address, connection.catalog.schema.table",
            _ => "at most a connection name",
        };
        if (args.Operands.Count < least) throw new ArgumentException($"`%metastore {args.Verb}` needs {what}");
        if (args.Operands.Count > most)
            throw new ArgumentException($"`%metastore {args.Verb}` takes {(most == 0 ? "no operand" : what)}, but got '{string.Join(' ', args.Operands)}'");
        return null;
    }

    private static void Show(MetastoreView view, IExecutionSink sink)
    {
        if (view.Heading is { } heading) sink.Display(MimeBundle.Text(heading), null, update: false);
        foreach (var section in view.Sections)
        {
            if (section.Title is { } title) sink.Display(MimeBundle.Text(title + ":"), null, update: false);
            var limits = new TabularLimits();
            sink.Display(TabularBundles.From(TabularResult.FromRows(section.Columns, section.Rows, limits, section.Rows.Count), limits), null, update: false);
        }
        if (view.Errors.Count == 0) return;
        var text = new StringBuilder("Not answered:");
        foreach (var error in view.Errors) text.Append("\n  ").Append(error.Connection).Append(" (").Append(MetastoreViews.Words(error.Kind)).Append("): ").Append(error.Message);
        sink.Display(MimeBundle.Text(text.ToString()), null, update: false);
    }

    private static ExecutionOutcome Usage(string message) => ExecutionOutcome.Failed("UsageError", message, [$"UsageError: {message}"]);
}
