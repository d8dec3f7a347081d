namespace KernelGateway.Protocol;

/// <summary>Every <c>msg_type</c> of the Jupyter messaging protocol 5.x.</summary>
public static class MessageTypes
{
#pragma warning disable CS1591 // the names say what they are
    // shell
    public const string ExecuteRequest = "execute_request";
    public const string ExecuteReply = "execute_reply";
    public const string InspectRequest = "inspect_request";
    public const string InspectReply = "inspect_reply";
    public const string CompleteRequest = "complete_request";
    public const string CompleteReply = "complete_reply";
    public const string HistoryRequest = "history_request";
    public const string HistoryReply = "history_reply";
    public const string IsCompleteRequest = "is_complete_request";
    public const string IsCompleteReply = "is_complete_reply";
    public const string ConnectRequest = "connect_request";
    public const string ConnectReply = "connect_reply";
    public const string CommInfoRequest = "comm_info_request";
    public const string CommInfoReply = "comm_info_reply";
    public const string KernelInfoRequest = "kernel_info_request";
    public const string KernelInfoReply = "kernel_info_reply";

    // control
    public const string ShutdownRequest = "shutdown_request";
    public const string ShutdownReply = "shutdown_reply";
    public const string InterruptRequest = "interrupt_request";
    public const string InterruptReply = "interrupt_reply";
    public const string DebugRequest = "debug_request";
    public const string DebugReply = "debug_reply";
    public const string CreateSubshellRequest = "create_subshell_request";
    public const string CreateSubshellReply = "create_subshell_reply";
    public const string DeleteSubshellRequest = "delete_subshell_request";
    public const string DeleteSubshellReply = "delete_subshell_reply";
    public const string ListSubshellRequest = "list_subshell_request";
    public const string ListSubshellReply = "list_subshell_reply";

    // iopub
    public const string Status = "status";
    public const string Stream = "stream";
    public const string DisplayData = "display_data";
    public const string UpdateDisplayData = "update_display_data";
    public const string ExecuteInput = "execute_input";
    public const string ExecuteResult = "execute_result";
    public const string Error = "error";
    public const string ClearOutput = "clear_output";
    public const string DebugEvent = "debug_event";
    public const string IopubWelcome = "iopub_welcome";

    // comms (shell in, iopub out)
    public const string CommOpen = "comm_open";
    public const string CommMsg = "comm_msg";
    public const string CommClose = "comm_close";

    // stdin
    public const string InputRequest = "input_request";
    public const string InputReply = "input_reply";
#pragma warning restore CS1591

    /// <summary>The reply type for a request type: <c>x_request</c> becomes <c>x_reply</c>.</summary>
    public static string ReplyFor(string requestType) =>
        requestType.EndsWith("_request", StringComparison.Ordinal)
            ? string.Concat(requestType.AsSpan(0, requestType.Length - "_request".Length), "_reply")
            : requestType + "_reply";
}
