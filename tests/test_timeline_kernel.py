"""In a real kernel: what one `nukedu.timeline()` sends to the browser (issue 16: at most 300 KB, no plotly.js)."""
from __future__ import annotations

import json
import queue

import pytest

pytestmark = pytest.mark.slow

LIMIT = 300 * 1024


def _run(client, code: str) -> list[dict]:
    msg_id = client.execute(code)
    out = []
    while True:
        msg = client.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out
        if msg["msg_type"] == "error":
            pytest.fail("\n".join(msg["content"]["traceback"]))
        out.append(msg)


def _size(messages: list[dict]) -> int:
    return sum(len(json.dumps({"header": m["header"], "content": m["content"], "metadata": m["metadata"]}, default=str))
               for m in messages if m["msg_type"].startswith("comm") or m["msg_type"] in ("display_data", "execute_result"))


def test_one_timeline_sends_at_most_300_kb_and_never_plotly_js():
    pytest.importorskip("jupyter_client")
    from jupyter_client.manager import start_new_kernel

    try:
        manager, client = start_new_kernel(kernel_name="python3")
    except (queue.Empty, RuntimeError) as exc:  # pragma: no cover - no kernel on this machine
        pytest.skip(f"no kernel: {exc}")
    try:
        _run(client, "import nukedu\nbank = nukedu.load_bank()\nfrom IPython.display import display")
        sizes = []
        for code in ("display(nukedu.timeline(bank=bank))", "display(nukedu.timeline(era='washington-2024', bank=bank))"):
            messages = _run(client, code)
            kinds = [m["msg_type"] for m in messages]
            assert kinds.count("display_data") == 3, kinds  # the chart, the static copy, the widget
            chart = next(m for m in messages if "application/vnd.plotly.v1+json" in m["content"].get("data", {}))
            assert chart["content"]["data"]["application/vnd.plotly.v1+json"]["layout"]["meta"]["nukedu"]
            blob = json.dumps([m["content"] for m in messages])
            assert "plotly.js v" not in blob and "Plotly.newPlot" not in blob and "cdn.plot.ly" not in blob
            sizes.append(_size(messages))
        # measured the same way plotly's FigureWidget sent 5.08 MB per chart on main
        assert max(sizes) <= LIMIT, f"{max(sizes) / 1024:.0f} KB sent for one timeline()"
        print(f"bytes to the browser per timeline(): {[round(s / 1024, 1) for s in sizes]} KB")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
