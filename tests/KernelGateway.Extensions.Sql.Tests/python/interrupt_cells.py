"""Drives cells that run remote queries (%%trino, %%spark) through Debian's jupyter_client on an existing kernel; prints what came back as JSON.

usage: interrupt_cells.py CONNECTION_FILE QUICK_CELL SLOW_CELL [AFTER_CELL]
The quick cell runs to its end. The slow cell is interrupted (interrupt_request on control) as soon as its
progress display appears; every iopub message of both is reported, in order.
"""
import json
import sys

from jupyter_client import BlockingKernelClient

client = BlockingKernelClient(connection_file=sys.argv[1])
client.load_connection_file()
client.start_channels()
client.wait_for_ready(timeout=60)


def run(code, interrupt_on_progress=False):
    messages = []
    sent = []

    def hook(msg):
        messages.append({"type": msg["msg_type"], "content": msg["content"]})
        transient = msg["content"].get("transient") or {}
        if interrupt_on_progress and not sent and str(transient.get("display_id", "")).startswith("progress-"):
            client.control_channel.send(client.session.msg("interrupt_request", {}))
            sent.append(True)

    reply = client.execute_interactive(code, timeout=120, output_hook=hook)
    return {"reply": reply["content"], "messages": messages, "interrupted": bool(sent)}


after = sys.argv[4] if len(sys.argv) > 4 else "%%trino\nSELECT 1 AS one"
results = [run(sys.argv[2]), run(sys.argv[3], interrupt_on_progress=True), run(after)]
client.stop_channels()
print(json.dumps(results))
