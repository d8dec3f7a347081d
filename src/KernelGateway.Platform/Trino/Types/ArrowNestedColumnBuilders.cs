using System.Collections;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace KernelGateway.Platform.Trino;

/// <summary>list: offsets into one child column of every element.</summary>
internal sealed class ListColumnBuilder(TrinoType trinoType, ListType type, ArrowColumnBuilder elements) : ArrowColumnBuilder(trinoType)
{
    private readonly ArrowValidity _validity = new();
    private readonly ArrowBytes _offsets = VariableWidthColumnBuilder.NewOffsets();
    private int _end;

    public override IArrowType Type => type;

    public override void Append(object? value)
    {
        _validity.Append(value is not null);
        if (value is not null)
        {
            foreach (var item in value as IEnumerable ?? throw new ArgumentException($"a {value.GetType().Name} is not a list"))
            {
                elements.Append(item);
                _end++;
            }
        }
        _offsets.Append(_end);
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        var data = new ArrayData(type, length, nulls, 0, [_validity.Build(), _offsets.Build()], [elements.Build()]);
        _end = 0;
        _offsets.Append(0);
        return data;
    }
}

/// <summary>struct: one child column per field; a null row appends a null to every child.</summary>
internal sealed class StructColumnBuilder(TrinoType trinoType, StructType type, ArrowColumnBuilder[] fields) : ArrowColumnBuilder(trinoType)
{
    private readonly ArrowValidity _validity = new();

    public override IArrowType Type => type;

    public override void Append(object? value)
    {
        _validity.Append(value is not null);
        IReadOnlyList<object?>? values = value switch
        {
            null => null,
            TrinoRow row => row.Values,
            IReadOnlyList<object?> list => list,
            _ => throw new ArgumentException($"a {value.GetType().Name} is not a row"),
        };
        if (values is not null && values.Count != fields.Length) throw new ArgumentException($"a row of {values.Count} fields for a struct of {fields.Length}");
        for (var i = 0; i < fields.Length; i++) fields[i].Append(values?[i]);
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        return new ArrayData(type, length, nulls, 0, [_validity.Build()], [.. fields.Select(f => f.Build())]);
    }
}

/// <summary>map: offsets into a struct of keys and values (keys are never null), in the map's order.</summary>
internal sealed class MapColumnBuilder(TrinoType trinoType, MapType type, ArrowColumnBuilder keys, ArrowColumnBuilder values) : ArrowColumnBuilder(trinoType)
{
    private readonly ArrowValidity _validity = new();
    private readonly ArrowBytes _offsets = VariableWidthColumnBuilder.NewOffsets();
    private int _end;

    public override IArrowType Type => type;

    public override void Append(object? value)
    {
        _validity.Append(value is not null);
        if (value is not null)
        {
            foreach (DictionaryEntry entry in value as IDictionary ?? throw new ArgumentException($"a {value.GetType().Name} is not a map"))
            {
                keys.Append(entry.Key);
                values.Append(entry.Value);
                _end++;
            }
        }
        _offsets.Append(_end);
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        var entries = new ArrayData(type.KeyValueType, _end, 0, 0, [ArrowBuffer.Empty], [keys.Build(), values.Build()]);
        var data = new ArrayData(type, length, nulls, 0, [_validity.Build(), _offsets.Build()], [entries]);
        _end = 0;
        _offsets.Append(0);
        return data;
    }
}
