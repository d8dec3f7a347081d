namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>
/// The <c>tpch.tiny</c> tables the fixture serves: TPC-H's fixed <c>nation</c> (25 rows) and <c>region</c> (5 rows)
/// keys, names and region links from the public TPC-H specification. The specification's pseudo-random
/// <c>comment</c> texts are not reproduced: comments are empty strings.
/// </summary>
internal static class TpchTiny
{
    private static readonly string[] Regions = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"];

    private static readonly (string Name, int Region)[] Nations =
    [
        ("ALGERIA", 0), ("ARGENTINA", 1), ("BRAZIL", 1), ("CANADA", 1), ("EGYPT", 4), ("ETHIOPIA", 0), ("FRANCE", 3),
        ("GERMANY", 3), ("INDIA", 2), ("INDONESIA", 2), ("IRAN", 4), ("IRAQ", 4), ("JAPAN", 2), ("JORDAN", 4), ("KENYA", 0),
        ("MOROCCO", 0), ("MOZAMBIQUE", 0), ("PERU", 1), ("CHINA", 2), ("ROMANIA", 3), ("SAUDI ARABIA", 4), ("VIETNAM", 2),
        ("RUSSIA", 3), ("UNITED KINGDOM", 3), ("UNITED STATES", 1),
    ];

    /// <summary>The statements that create and fill the schema.</summary>
    public static IEnumerable<string> Statements()
    {
        yield return "ATTACH ':memory:' AS tpch";
        yield return "CREATE SCHEMA tpch.tiny";
        yield return "CREATE TABLE tpch.tiny.region (regionkey BIGINT, name VARCHAR, comment VARCHAR)";
        yield return "CREATE TABLE tpch.tiny.nation (nationkey BIGINT, name VARCHAR, regionkey BIGINT, comment VARCHAR)";
        yield return "INSERT INTO tpch.tiny.region VALUES " + string.Join(", ", Regions.Select((r, i) => $"({i}, '{r}', '')"));
        yield return "INSERT INTO tpch.tiny.nation VALUES " + string.Join(", ", Nations.Select((n, i) => $"({i}, '{n.Name}', {n.Region}, '')"));
    }
}
