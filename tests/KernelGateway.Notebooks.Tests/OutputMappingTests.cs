using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Protocol;

namespace KernelGateway.Notebooks.Tests;

public sealed class OutputMappingTests
{
    private static JupyterMessage Msg(string type, string content) => JupyterMessage.Create(
        new MessageHeader { MessageId = Guid.NewGuid().ToString(), Session = "s", MessageType = type }, null, JsonDocument.Parse(content).RootElement.Clone());

    [Fact]
    public void Consecutive_stream_messages_of_one_stream_merge_into_one_output()
    {
        var outputs = new JsonArray();
        NotebookRunner.ApplyOutputs(outputs, [
            Msg("stream", """{"name":"stdout","text":"a\n"}"""),
            Msg("stream", """{"name":"stdout","text":"b\n"}"""),
            Msg("stream", """{"name":"stderr","text":"e\n"}"""),
            Msg("stream", """{"name":"stdout","text":"c\n"}"""),
        ]);
        Assert.Equal(3, outputs.Count);
        Assert.Equal("a\nb\n", outputs[0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Clear_output_with_wait_clears_when_the_next_output_arrives()
    {
        var outputs = new JsonArray();
        NotebookRunner.ApplyOutputs(outputs, [
            Msg("stream", """{"name":"stdout","text":"old"}"""),
            Msg("clear_output", """{"wait":true}"""),
            Msg("stream", """{"name":"stdout","text":"new"}"""),
        ]);
        Assert.Equal("new", Assert.Single(outputs)!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Update_display_data_replaces_the_display_with_that_id_and_transient_is_not_kept()
    {
        var outputs = new JsonArray();
        NotebookRunner.ApplyOutputs(outputs, [
            Msg("display_data", """{"data":{"text/plain":"1"},"metadata":{},"transient":{"display_id":"d1"}}"""),
            Msg("display_data", """{"data":{"text/plain":"other"},"metadata":{},"transient":{"display_id":"d2"}}"""),
            Msg("update_display_data", """{"data":{"text/plain":"2"},"metadata":{},"transient":{"display_id":"d1"}}"""),
        ]);
        Assert.Equal("2", outputs[0]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("other", outputs[1]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.DoesNotContain("display_id", outputs.ToJsonString());
    }
}
