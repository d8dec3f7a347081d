"""Sends complete_request and inspect_request through Debian's jupyter_client to a running kernel.

Usage: complete_inspect.py CONNECTION_FILE CODE CURSOR  (CURSOR in code points, as the protocol counts)
Prints one JSON object: {"complete": <complete_reply content>, "inspect": <inspect_reply content>}.
"""
import json
import sys

from jupyter_client import BlockingKernelClient

client = BlockingKernelClient(connection_file=sys.argv[1])
client.load_connection_file()
client.start_channels()
client.wait_for_ready(timeout=60)
code, cursor = sys.argv[2], int(sys.argv[3])
complete = client.complete(code, cursor, reply=True, timeout=60)["content"]
inspect = client.inspect(code, cursor, detail_level=0, reply=True, timeout=60)["content"]
client.stop_channels()
print(json.dumps({"complete": complete, "inspect": inspect}))
