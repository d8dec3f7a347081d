using System.Collections;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>Compares a decoded value with an expected one written in a test: by CLR type and content, all the way down.</summary>
internal static class ExpectedValues
{
    public static void AssertSame(object? expected, object? actual, string path = "value")
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{path}: expected null, got {actual} ({actual?.GetType().Name})");
            return;
        }
        Assert.True(actual is not null, $"{path}: expected {expected}, got null");
        Assert.True(expected.GetType() == actual!.GetType(), $"{path}: expected a {expected.GetType().Name}, got a {actual.GetType().Name} ({actual})");
        switch (expected)
        {
            case byte[] bytes:
                Assert.Equal(bytes, (byte[])actual);
                break;
            case TrinoRow row:
                var other = (TrinoRow)actual;
                Assert.Equal(row.Names, other.Names);
                for (var i = 0; i < row.Count; i++)
                {
                    Assert.Equal(row.IsNamed(i), other.IsNamed(i));
                    AssertSame(row[i], other[i], $"{path}.{row.Names[i]}");
                }
                break;
            case IDictionary map:
                var actualMap = (IDictionary)actual;
                Assert.Equal(map.Count, actualMap.Count);
                Assert.Equal(map.Keys.Cast<object>().Select(k => $"{k.GetType().Name}:{k}"), actualMap.Keys.Cast<object>().Select(k => $"{k.GetType().Name}:{k}"));
                foreach (DictionaryEntry e in map) AssertSame(e.Value, actualMap[e.Key], $"{path}[{e.Key}]");
                break;
            case object?[] items:
                var actualItems = (object?[])actual;
                Assert.Equal(items.Length, actualItems.Length);
                for (var i = 0; i < items.Length; i++) AssertSame(items[i], actualItems[i], $"{path}[{i}]");
                break;
            case decimal m:
                Assert.Equal(m, (decimal)actual);
                Assert.Equal(m.Scale, ((decimal)actual).Scale); // 12.30 keeps its two decimals
                break;
            case DateTime dt:
                Assert.Equal(dt, (DateTime)actual);
                Assert.Equal(dt.Kind, ((DateTime)actual).Kind);
                break;
            case DateTimeOffset dto:
                Assert.Equal(dto, (DateTimeOffset)actual);
                Assert.Equal(dto.Offset, ((DateTimeOffset)actual).Offset);
                break;
            default:
                Assert.Equal(expected, actual); // float and double NaN equal themselves here
                break;
        }
    }
}
