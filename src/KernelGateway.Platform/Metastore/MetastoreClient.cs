using System.Collections.Concurrent;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// The federated, read-only catalog over every named connection: one provider per connection of a supported kind
/// (duckdb, including the embedded warehouse, postgres, trino, presto and spark; other kinds answer a
/// <see cref="MetastoreErrorKind.NotSupported"/> entry). Lookups are lazy, one level per call; answers are cached
/// per connection and level for <see cref="MetastoreOptions.CacheTimeToLive"/> (5 minutes by default) until
/// <see cref="RefreshAsync"/>. Each engine gets <see cref="MetastoreOptions.ProviderTimeout"/> (10 seconds by
/// default) per lookup, so a slow or failing one never holds up the others: federated answers carry its error entry
/// and everyone else's results. No answer or error ever holds a connection string or a secret from one.
/// </summary>
public sealed class MetastoreClient : IAsyncDisposable
{
    private sealed record Slot(ConnectionSpec Spec, IMetastoreProvider Provider, IAsyncDisposable? Owned, MetastoreCache Cache);

    private readonly WarehouseClient _warehouse;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentBag<IAsyncDisposable> _retired = []; // clients of replaced or removed entries: a lookup may still use them

    /// <summary>A metastore over the warehouse client's named connections (read afresh at every lookup, so connections added later take part).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="MetastoreOptions.Validated"/>).</exception>
    public MetastoreClient(WarehouseClient warehouse, MetastoreOptions? options = null)
    {
        _warehouse = warehouse ?? throw new ArgumentNullException(nameof(warehouse));
        Options = (options ?? new MetastoreOptions()).Validated();
    }

    /// <summary>The cache lifetime, timeout and clock in use.</summary>
    public MetastoreOptions Options { get; }

    /// <summary>
    /// Every named connection with its kind and whether the metastore can look inside it. Errors: one
    /// <see cref="MetastoreErrorKind.NotSupported"/> entry per connection of a kind without a provider, and one
    /// <see cref="MetastoreErrorKind.Unusable"/> entry per connection entry that cannot be used.
    /// </summary>
    public Task<MetastoreAnswer<MetastoreConnection>> ListConnectionsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var items = _warehouse.Connections.All
            .Select(c => new MetastoreConnection(new MetastoreAddress(c.Name), c.Kind, c.Description, MetastoreProviders.Supported.Contains(c.Kind)))
            .ToList();
        return Task.FromResult(new MetastoreAnswer<MetastoreConnection>(items, SkippedConnections()));
    }

    /// <summary>
    /// The catalogs of one connection, or of every connection when <paramref name="connection"/> is null. A connection
    /// that fails, times out or has no provider gives an error entry instead of its catalogs.
    /// </summary>
    /// <exception cref="MetastoreException"><paramref name="connection"/> names no connection (<see cref="MetastoreErrorKind.NotFound"/>).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MetastoreAnswer<MetastoreCatalog>> ListCatalogsAsync(string? connection = null, CancellationToken cancellationToken = default)
    {
        var (slots, skipped) = connection is null ? (Slots(), SkippedConnections()) : Single(connection);
        var answers = await Task.WhenAll(slots.Select(async slot =>
        {
            try
            {
                return (Items: await CatalogsAsync(slot, cancellationToken).ConfigureAwait(false), Error: (MetastoreError?)null);
            }
            catch (MetastoreException e)
            {
                return (Items: (IReadOnlyList<MetastoreCatalog>)[], Error: e.ToError());
            }
        })).ConfigureAwait(false);
        return new MetastoreAnswer<MetastoreCatalog>(answers.SelectMany(a => a.Items).ToList(), [.. skipped, .. answers.Where(a => a.Error is not null).Select(a => a.Error!)]);
    }

    /// <summary>The schemas of a catalog, <c>connection.catalog</c>; a bare <c>connection</c> means its default catalog.</summary>
    /// <exception cref="FormatException">The text is not an address.</exception>
    /// <exception cref="ArgumentException">The address is not a catalog's (or a connection's).</exception>
    /// <exception cref="MetastoreException">The connection or catalog does not exist, is unusable or not supported, or the engine failed or timed out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken = default) =>
        ListSchemasAsync(MetastoreAddress.Parse(catalog), cancellationToken);

    /// <inheritdoc cref="ListSchemasAsync(string, CancellationToken)"/>
    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(MetastoreAddress catalog, CancellationToken cancellationToken = default)
    {
        var slot = Require(catalog.Connection);
        var at = await ExpandAsync(slot, catalog, MetastoreLevel.Catalog, cancellationToken).ConfigureAwait(false);
        var schemas = await SchemasAsync(slot, at.Catalog!, cancellationToken).ConfigureAwait(false);
        if (schemas.Count > 0) return schemas;
        var resolved = await ResolveAsync(slot, at, cancellationToken).ConfigureAwait(false);
        return resolved == at ? schemas : await SchemasAsync(slot, resolved.Catalog!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tables and views of a schema, <c>connection.catalog.schema</c> (names, kinds, comments); <c>connection.schema</c> means the default catalog.</summary>
    /// <exception cref="FormatException">The text is not an address.</exception>
    /// <exception cref="ArgumentException">The address is not a schema's.</exception>
    /// <exception cref="MetastoreException">The connection, catalog or schema does not exist, is unusable or not supported, or the engine failed or timed out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string schema, CancellationToken cancellationToken = default) =>
        ListTablesAsync(MetastoreAddress.Parse(schema), cancellationToken);

    /// <inheritdoc cref="ListTablesAsync(string, CancellationToken)"/>
    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(MetastoreAddress schema, CancellationToken cancellationToken = default)
    {
        var slot = Require(schema.Connection);
        var at = await ExpandAsync(slot, schema, MetastoreLevel.Schema, cancellationToken).ConfigureAwait(false);
        var tables = await TablesAsync(slot, at, cancellationToken).ConfigureAwait(false);
        if (tables.Count > 0) return tables;
        var resolved = await ResolveAsync(slot, at, cancellationToken).ConfigureAwait(false);
        return resolved == at ? tables : await TablesAsync(slot, resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One table's columns and details, <c>connection.catalog.schema.table</c>; <c>connection.schema.table</c> (e.g.
    /// <c>warehouse.main.sessions</c>) means the default catalog. Names match exactly, else a name that differs only
    /// in case when exactly one does.
    /// </summary>
    /// <exception cref="FormatException">The text is not an address.</exception>
    /// <exception cref="ArgumentException">The address is not a table's.</exception>
    /// <exception cref="MetastoreException">No such table (<see cref="MetastoreErrorKind.NotFound"/>, naming the first missing part); the connection is unusable or not supported; the engine failed or timed out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<MetastoreTable> DescribeAsync(string table, CancellationToken cancellationToken = default) =>
        DescribeAsync(MetastoreAddress.Parse(table), cancellationToken);

    /// <inheritdoc cref="DescribeAsync(string, CancellationToken)"/>
    public async Task<MetastoreTable> DescribeAsync(MetastoreAddress table, CancellationToken cancellationToken = default)
    {
        var slot = Require(table.Connection);
        var at = await ExpandAsync(slot, table, MetastoreLevel.Table, cancellationToken).ConfigureAwait(false);
        if (await DescribedAsync(slot, at, cancellationToken).ConfigureAwait(false) is { } found) return found;
        var resolved = await ResolveAsync(slot, at, cancellationToken).ConfigureAwait(false);
        return await DescribedAsync(slot, resolved, cancellationToken).ConfigureAwait(false)
            ?? throw new MetastoreException(slot.Spec.Name, MetastoreErrorKind.NotFound, $"{resolved} no longer exists");
    }

    /// <summary>
    /// Schemas, tables and columns across every connection whose name or comment contains <paramref name="text"/>
    /// (ignoring case), ranked: exact name, then name prefix, then name substring, then comment; within a rank
    /// schemas, tables, then columns, by address. Each connection's names are listed once and cached like the
    /// other answers; a connection with more than <see cref="MetastoreOptions.SearchNameLimit"/> names is searched
    /// in its first ones and gives an <see cref="MetastoreErrorKind.Incomplete"/> entry.
    /// </summary>
    /// <param name="text">What to look for.</param>
    /// <param name="limit">The most hits to return (default 50).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The limit is below 1.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MetastoreAnswer<MetastoreSearchHit>> SearchAsync(string text, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        text = text.Trim();
        var answers = await Task.WhenAll(Slots().Select(async slot =>
        {
            try
            {
                var names = await NamesAsync(slot, cancellationToken).ConfigureAwait(false);
                var incomplete = names.Truncated
                    ? new MetastoreError(slot.Spec.Name, MetastoreErrorKind.Incomplete, $"search covered the first {Options.SearchNameLimit} names of this connection")
                    : null;
                return (Hits: MetastoreSearch.Match(names.Entries, text), Error: incomplete);
            }
            catch (MetastoreException e)
            {
                return (Hits: [], Error: e.ToError());
            }
        })).ConfigureAwait(false);
        var hits = MetastoreSearch.Rank(answers.SelectMany(a => a.Hits), limit);
        return new MetastoreAnswer<MetastoreSearchHit>(hits, [.. SkippedConnections(), .. answers.Where(a => a.Error is not null).Select(a => a.Error!)]);
    }

    /// <summary>
    /// Forgets the cached answers of one connection (or of all when <paramref name="connection"/> is null) and lists
    /// their catalogs afresh.
    /// </summary>
    /// <exception cref="MetastoreException"><paramref name="connection"/> names no connection (<see cref="MetastoreErrorKind.NotFound"/>).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<MetastoreAnswer<MetastoreCatalog>> RefreshAsync(string? connection = null, CancellationToken cancellationToken = default)
    {
        foreach (var slot in connection is null ? Slots() : Single(connection).Slots) slot.Cache.Clear();
        return ListCatalogsAsync(connection, cancellationToken);
    }

    private Task<IReadOnlyList<MetastoreCatalog>> CatalogsAsync(Slot slot, CancellationToken cancellationToken) =>
        Cached(slot, "catalogs", slot.Provider.ListCatalogsAsync, cancellationToken);

    private Task<IReadOnlyList<MetastoreSchema>> SchemasAsync(Slot slot, string catalog, CancellationToken cancellationToken) =>
        Cached(slot, Key("schemas", catalog), ct => slot.Provider.ListSchemasAsync(catalog, ct), cancellationToken);

    private Task<IReadOnlyList<MetastoreTableSummary>> TablesAsync(Slot slot, MetastoreAddress schema, CancellationToken cancellationToken) =>
        Cached(slot, Key("tables", schema.Catalog!, schema.Schema!), ct => slot.Provider.ListTablesAsync(schema.Catalog!, schema.Schema!, ct), cancellationToken);

    private async Task<MetastoreTable?> DescribedAsync(Slot slot, MetastoreAddress table, CancellationToken cancellationToken) =>
        (await Cached(slot, Key("table", table.Catalog!, table.Schema!, table.Table!),
            async ct => new[] { await slot.Provider.DescribeAsync(table.Catalog!, table.Schema!, table.Table!, ct).ConfigureAwait(false) }, cancellationToken).ConfigureAwait(false))[0];

    private Task<MetastoreNames> NamesAsync(Slot slot, CancellationToken cancellationToken) =>
        Cached(slot, "names", ct => slot.Provider.ListNamesAsync(Options.SearchNameLimit, ct), cancellationToken);

    private static string Key(params string[] parts) => string.Join('\u001f', parts);

    /// <summary>A cached answer, or one lookup on the provider bounded by the timeout; failures become a scrubbed <see cref="MetastoreException"/>.</summary>
    private Task<T> Cached<T>(Slot slot, string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : class =>
        slot.Cache.GetAsync(key, () => BoundedAsync(slot, call), cancellationToken);

    private async Task<T> BoundedAsync<T>(Slot slot, Func<CancellationToken, Task<T>> call)
    {
        using var timeout = new CancellationTokenSource(Options.ProviderTimeout, Options.TimeProvider);
        // Off the caller's thread (DuckDB's async methods run synchronously), and not awaited past the timeout: an
        // engine that ignores cancellation is left to finish on its own.
        var work = Task.Run(() => call(timeout.Token), CancellationToken.None);
        try
        {
            return await work.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (timeout.IsCancellationRequested)
        {
            _ = work.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw new MetastoreException(slot.Spec.Name, MetastoreErrorKind.TimedOut,
                $"no answer within {Options.ProviderTimeout.TotalSeconds:0.###} s" + (e is OperationCanceledException ? "" : $" ({SecretScrubber.Describe(e, slot.Spec)})"));
        }
        catch (Exception e) when (e is not MetastoreException)
        {
            throw new MetastoreException(slot.Spec.Name, MetastoreErrorKind.Failed, SecretScrubber.Describe(e, slot.Spec));
        }
    }

    /// <summary>An address one level short (no catalog) gets the connection's default catalog.</summary>
    private async Task<MetastoreAddress> ExpandAsync(Slot slot, MetastoreAddress address, MetastoreLevel level, CancellationToken cancellationToken)
    {
        if (address.Level == level) return address;
        if (address.Level != level - 1)
            throw new ArgumentException($"{address} is not a {level.ToString().ToLowerInvariant()} address: expected {Shape(level)} (or without the catalog, for the default one)", nameof(address));
        var catalogs = await CatalogsAsync(slot, cancellationToken).ConfigureAwait(false);
        var home = catalogs.FirstOrDefault(c => c.IsDefault)
            ?? throw new MetastoreException(slot.Spec.Name, MetastoreErrorKind.NotFound, $"connection '{slot.Spec.Name}' has no default catalog: give {Shape(level)}");
        var parts = address.Parts.ToList();
        parts.Insert(1, home.Name);
        return new MetastoreAddress(parts[0], parts[1], parts.ElementAtOrDefault(2), parts.ElementAtOrDefault(3));
    }

    private static string Shape(MetastoreLevel level) => string.Join('.', new[] { "connection", "catalog", "schema", "table", "column" }.Take((int)level));

    /// <summary>
    /// Walks the address down from the catalog through the cached listings, matching each part exactly or else by
    /// the one name that differs only in case; throws NotFound naming the first part that matches nothing.
    /// </summary>
    private async Task<MetastoreAddress> ResolveAsync(Slot slot, MetastoreAddress address, CancellationToken cancellationToken)
    {
        var at = new MetastoreAddress(address.Connection);
        foreach (var part in address.Parts.Skip(1))
        {
            IEnumerable<string> names = at.Level switch
            {
                MetastoreLevel.Connection => (await CatalogsAsync(slot, cancellationToken).ConfigureAwait(false)).Select(c => c.Name),
                MetastoreLevel.Catalog => (await SchemasAsync(slot, at.Catalog!, cancellationToken).ConfigureAwait(false)).Select(s => s.Name),
                _ => (await TablesAsync(slot, at, cancellationToken).ConfigureAwait(false)).Select(t => t.Name),
            };
            var list = names.ToList();
            var match = list.Contains(part, StringComparer.Ordinal) ? part
                : list.Where(n => n.Equals(part, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only
                : throw new MetastoreException(slot.Spec.Name, MetastoreErrorKind.NotFound, $"no {(at.Level + 1).ToString().ToLowerInvariant()} {MetastoreAddress.Quote(part)} in {at}");
            at = at.Child(match);
        }
        return at;
    }

    /// <summary>The provider slot of a connection, made afresh when its entry changed.</summary>
    private Slot? SlotFor(ConnectionSpec spec)
    {
        if (!MetastoreProviders.Supported.Contains(spec.Kind)) return null;
        return _slots.AddOrUpdate(spec.Name, _ => NewSlot(spec), (_, old) => old.Spec == spec ? old : Replace(old, spec));
    }

    private Slot Replace(Slot old, ConnectionSpec spec)
    {
        if (old.Owned is { } owned) _retired.Add(owned);
        return NewSlot(spec);
    }

    private Slot NewSlot(ConnectionSpec spec)
    {
        var (provider, owned) = MetastoreProviders.For(spec, _warehouse)!.Value;
        return new(spec, provider, owned, new MetastoreCache(Options.TimeProvider, Options.CacheTimeToLive));
    }

    /// <summary>Closes the engine clients the metastore made for its lookups (Spark sessions are released).</summary>
    public async ValueTask DisposeAsync()
    {
        var owned = _slots.Values.Select(s => s.Owned).OfType<IAsyncDisposable>().Concat(_retired).ToList();
        _slots.Clear();
        _retired.Clear();
        foreach (var o in owned) await o.DisposeAsync().ConfigureAwait(false);
    }

    private List<Slot> Slots()
    {
        var connections = _warehouse.Connections.All;
        foreach (var gone in _slots.Keys.Where(k => !connections.Any(c => c.Name.Equals(k, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            if (_slots.TryRemove(gone, out var slot) && slot.Owned is { } owned) _retired.Add(owned);
        }
        return connections.Select(SlotFor).Where(s => s is not null).Select(s => s!).ToList();
    }

    private (List<Slot> Slots, IReadOnlyList<MetastoreError> Skipped) Single(string connection)
    {
        var spec = Spec(connection);
        return SlotFor(spec) is { } slot ? ([slot], []) : ([], [MetastoreProviders.NotSupported(spec)]);
    }

    private Slot Require(string connection)
    {
        var spec = Spec(connection);
        return SlotFor(spec) ?? throw new MetastoreException(spec.Name, MetastoreErrorKind.NotSupported, MetastoreProviders.NotSupported(spec).Message);
    }

    private ConnectionSpec Spec(string connection)
    {
        try
        {
            return _warehouse.Connections.Get(connection);
        }
        catch (KeyNotFoundException e)
        {
            throw new MetastoreException(connection, MetastoreErrorKind.NotFound, e.Message);
        }
        catch (ConnectionUnusableException e)
        {
            throw new MetastoreException(connection, MetastoreErrorKind.Unusable, ConnectionSpec.Redact(e.Message));
        }
    }

    /// <summary>The connections a federated answer cannot include: kinds without a provider, and unusable entries.</summary>
    private List<MetastoreError> SkippedConnections() =>
    [
        .. _warehouse.Connections.All.Where(c => !MetastoreProviders.Supported.Contains(c.Kind)).Select(MetastoreProviders.NotSupported),
        .. _warehouse.Connections.Problems.Select(p => new MetastoreError(p.Name ?? "(unnamed)", MetastoreErrorKind.Unusable, ConnectionSpec.Redact(p.ToString()))),
    ];
}
