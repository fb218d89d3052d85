"""Talking to a real kernel from a benchmark: run code, collect what a front end would receive, count its bytes."""
from __future__ import annotations

import json
import queue


def run(client, code: str) -> tuple[list[dict], int]:
    """Execute `code`; its iopub messages and the size of those a front end renders (as JSON)."""
    msg_id = client.execute(code)
    messages, size = [], 0
    while True:
        try:
            msg = client.get_iopub_msg(timeout=120)
        except queue.Empty:
            raise SystemExit("the kernel stopped answering") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return messages, size
        if kind == "error":
            raise SystemExit("\n".join(msg["content"]["traceback"]))
        messages.append(msg)
        if kind.startswith("comm") or kind in ("display_data", "execute_result", "update_display_data"):
            size += len(json.dumps({"header": msg["header"], "content": msg["content"], "metadata": msg["metadata"]},
                                   default=str))


def stdout(messages: list[dict]) -> str:
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
