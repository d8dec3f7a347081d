using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>An address in JSON is its text, <c>"pg.postgres.public.\"My Table\""</c>.</summary>
internal sealed class MetastoreAddressJsonConverter : JsonConverter<MetastoreAddress>
{
    public override MetastoreAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a metastore address must be a string");
        try
        {
            return MetastoreAddress.Parse(text);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, MetastoreAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
