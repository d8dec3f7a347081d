"""Interrupts C# cells that block in every way a cell can, through Debian's jupyter_client; prints what came back as JSON.

usage: interrupt_csharp.py CONNECTION_FILE
First `var before = 41;` runs. Then each blocking cell runs; it prints "started" first, and the interrupt_request is
sent on control as soon as that line (or, for the stdin cell, the input_request) arrives. After each, `before + 1`
runs. Every reply, the status that ended each request, and the seconds from the interrupt to the answer of the next
cell are reported (reported, not judged: the caller decides what to assert).
"""
import json
import sys
import time

from jupyter_client import BlockingKernelClient

CELLS = [
    ("await", 'Console.WriteLine("started"); await Task.Delay(30000); "not interrupted"', False),
    ("sleep", 'Console.WriteLine("started"); Thread.Sleep(30000); "not interrupted"', False),
    ("readline", 'Console.WriteLine("started"); var line = Console.ReadLine(); "not interrupted"', True),
    ("spin", 'Console.WriteLine("started"); while (true) {}', False),
    ("wait", 'Console.WriteLine("started"); var t = Task.Run(() => Thread.Sleep(30000)); t.Wait(); "not interrupted"', False),
    ("method", 'long Spin(long n) { while (n >= 0) n++; return n; }\nConsole.WriteLine("started"); Spin(0)', False),
    ("library", 'Console.WriteLine("started"); var count = Enumerable.Range(0, int.MaxValue).Select(i => i * 2).Count(); count', False),
]

client = BlockingKernelClient(connection_file=sys.argv[1])
client.load_connection_file()
client.start_channels()
client.wait_for_ready(timeout=120)


def interrupt(state):
    if state.get("at") is None:
        state["at"] = time.monotonic()
        client.control_channel.send(client.session.msg("interrupt_request", {}))


def run(code, allow_stdin=False, interrupting=False):
    state = {"at": None, "messages": []}

    def output(msg):
        state["messages"].append({"type": msg["msg_type"], "content": msg["content"]})
        if interrupting and msg["msg_type"] == "stream" and "started" in msg["content"].get("text", ""):
            if not allow_stdin:
                interrupt(state)

    def stdin(msg):
        interrupt(state)

    reply = client.execute_interactive(code, timeout=180, output_hook=output, allow_stdin=allow_stdin,
                                       stdin_hook=stdin if allow_stdin else None)
    state["reply"] = reply["content"]
    state["answered"] = time.monotonic()
    if state["at"] is not None:
        control = client.get_control_msg(timeout=30)
        state["interrupt_reply"] = {"type": control["msg_type"], "status": control["content"].get("status")}
    return state


results = {"before": run("var before = 41;")["reply"], "cells": []}
for name, code, stdin in CELLS:
    cell = run(code, allow_stdin=stdin, interrupting=True)
    following = run("before + 1")
    results["cells"].append({
        "name": name,
        "interrupted": cell["at"] is not None,
        "interrupt_reply": cell.get("interrupt_reply"),
        "reply": cell["reply"],
        "messages": cell["messages"],
        "next": following["reply"],
        "next_messages": following["messages"],
        "next_seconds_after_interrupt": following["answered"] - cell["at"] if cell["at"] else None,
    })
who = run("%who")
results["who"] = "".join(m["content"].get("text", "") for m in who["messages"] if m["type"] == "stream")
client.stop_channels()
print(json.dumps(results))
