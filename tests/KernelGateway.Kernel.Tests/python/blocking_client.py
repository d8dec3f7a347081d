"""Runs C# cells through jupyter_client's BlockingKernelClient on an existing kernel; prints JSON results."""
import json
import sys

from jupyter_client import BlockingKernelClient

client = BlockingKernelClient(connection_file=sys.argv[1])
client.load_connection_file()
client.start_channels()
client.wait_for_ready(timeout=60)

results = []
for code in sys.argv[2:]:
    outputs = []
    reply = client.execute_interactive(code, timeout=60, output_hook=lambda m: outputs.append(
        {"type": m["msg_type"], "content": m["content"]}))
    results.append({"status": reply["content"]["status"], "outputs": outputs})
info = client.kernel_info(reply=True)["content"]
client.stop_channels()
print(json.dumps({"results": results, "language": info["language_info"]["name"]}))
