using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;
using Operation = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.ConfigRequest.Types.Operation;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// Config, as SparkConnectConfigHandler: Set (failures become warnings when <c>silent</c>), Get (an unknown key fails),
/// GetWithDefault, GetOption (a pair without value when unset), GetAll (with a prefix, stripped from the keys), Unset,
/// IsModifiable ("true"/"false"); warnings for configs Spark Connect does not support.
/// </summary>
internal sealed class ConfigHandler(ServerState state)
{
    public ConfigResponse Config(ConfigRequest request)
    {
        var session = state.Sessions.GetOrCreate(request.UserContext?.UserId ?? "", request.SessionId,
            ExecuteHandler.ObservedId(request.HasClientObservedServerSideSessionId, request.ClientObservedServerSideSessionId));
        var response = new ConfigResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        var config = session.Config;
        var op = request.Operation ?? new Operation();
        var keys = op.OpTypeCase switch
        {
            Operation.OpTypeOneofCase.Set => Set(op.Set, config, response),
            Operation.OpTypeOneofCase.Get => Pairs(op.Get.Keys, k => config.Get(k), response),
            Operation.OpTypeOneofCase.GetWithDefault => GetWithDefault(op.GetWithDefault, config, response),
            Operation.OpTypeOneofCase.GetOption => Pairs(op.GetOption.Keys, config.Option, response),
            Operation.OpTypeOneofCase.GetAll => GetAll(op.GetAll, config, response),
            Operation.OpTypeOneofCase.Unset => op.Unset.Keys.Select(k => { config.Unset(k); return k; }).ToList(),
            Operation.OpTypeOneofCase.IsModifiable => Pairs(op.IsModifiable.Keys, k => SessionConfig.IsModifiable(k) ? "true" : "false", response),
            _ => throw SparkError.Internal($"{op.OpTypeCase} not supported."),
        };
        foreach (var k in keys) if (SessionConfig.Warning(k) is { } w) response.Warnings.Add(w);
        return response;
    }

    private static List<string> Set(ConfigRequest.Types.Set set, SessionConfig config, ConfigResponse response)
    {
        foreach (var pair in set.Pairs)
        {
            try
            {
                if (pair.Key == SessionConfig.TimeZoneKey && pair.HasValue) CheckZone(pair.Value);
                config.Set(pair.Key, pair.HasValue ? pair.Value : null);
            }
            catch (SparkError e) when (set.HasSilent && set.Silent)
            {
                response.Warnings.Add($"Failed to set {pair.Key} to {(pair.HasValue ? $"Some({pair.Value})" : "None")} due to {e.Message}");
            }
        }
        return set.Pairs.Select(p => p.Key).ToList();
    }

    private static void CheckZone(string zone)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) return;
        throw SparkError.Of("INVALID_CONF_VALUE.TIME_ZONE", JvmException.IllegalArgument, new Dictionary<string, string>
        {
            ["confValue"] = zone, ["confName"] = SessionConfig.TimeZoneKey,
        });
    }

    private static List<string> Pairs(IEnumerable<string> keys, Func<string, string?> value, ConfigResponse response)
    {
        var list = keys.ToList();
        foreach (var k in list) response.Pairs.Add(Pair(k, value(k)));
        return list;
    }

    private static List<string> GetWithDefault(ConfigRequest.Types.GetWithDefault get, SessionConfig config, ConfigResponse response)
    {
        foreach (var p in get.Pairs) response.Pairs.Add(Pair(p.Key, config.Option(p.Key) ?? (p.HasValue ? p.Value : null)));
        return get.Pairs.Select(p => p.Key).ToList();
    }

    private static List<string> GetAll(ConfigRequest.Types.GetAll all, SessionConfig config, ConfigResponse response)
    {
        var prefix = all.HasPrefix ? all.Prefix : "";
        var entries = config.All().Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var (k, v) in entries) response.Pairs.Add(Pair(k[prefix.Length..], v));
        return entries.Select(kv => kv.Key).ToList();
    }

    private static KeyValue Pair(string key, string? value)
    {
        var kv = new KeyValue { Key = key };
        if (value is not null) kv.Value = value;
        return kv;
    }
}
