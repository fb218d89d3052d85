"""What the timeline costs: bytes to the browser per `nukedu.timeline()` in a real kernel, and the 10,000-event build.

Run: `.venv/bin/python benchmarks/bench_timeline.py [--repeat 5] [--events 10000] [--figurewidget]`.

Part 1 starts a real IPython kernel (jupyter_client), displays `nukedu.timeline()`
`repeat` times and counts every iopub message the front end would receive for
it (the chart's display_data, the widget's comm_open with its ESM and CSS, its
state) as serialised JSON bytes, then what one filter change and one resize
send back. `--figurewidget` also measures a plotly FigureWidget of the same
figure, as main drew it (it ships plotly.js with each chart). Part 2 builds
the chart of `events` synthetic events in this process (filters, lanes,
labels, figure JSON, then a plotly Figure) and reports the time and height.
Targets from issue 16: ≤ 300 KB per timeline(), 10,000 events built in
≤ 150 ms with a bounded height. Prints figures only; nothing asserts a time.
The first render in Chromium is printed by tests/browser/test_timeline_in_browser.py.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from _kernel import run, stdout  # benchmarks/_kernel.py (scripts run from this folder)


def kernel_part(repeat: int, figurewidget: bool) -> None:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        msgs, _ = run(client, "import time\nt0 = time.perf_counter()\nimport nukedu\nbank = nukedu.load_bank()\n"
                              "print(f'{(time.perf_counter() - t0) * 1000:.1f}')")
        load_ms = float(stdout(msgs))
        sizes, times, outputs = [], [], []
        for _ in range(repeat):
            msgs, size = run(client, "from IPython.display import display\nt0 = time.perf_counter()\n"
                                     "t = nukedu.timeline(bank=bank)\ndisplay(t)\n"
                                     "print(f'{(time.perf_counter() - t0) * 1000:.2f}')")
            times.append(float(stdout(msgs)))
            sizes.append(size)
            outputs.append(sum(m["msg_type"] in ("display_data", "comm_open", "comm_msg") for m in msgs))
        _, filter_size = run(client, "t._receive(t, {'action': 'filter', 'era': 'turning-point-2014', 'tags': [], "
                                     "'years': None, 'search': '', 'seq': 'b-1'}, [])")
        _, resize_size = run(client, "t._receive(t, {'action': 'resize', 'width': 1200, 'seq': 'b-2'}, [])")
        wide = None
        if figurewidget:
            _, wide = run(client, "import plotly.graph_objects as go\n"
                                  "display(go.FigureWidget(nukedu.timeline_figure(bank=bank)))")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    rest = times[1:] or times
    print(f"import nukedu + load the shipped bank in a kernel: {load_ms:.0f} ms (once per kernel)")
    print(f"first timeline() in the kernel (imports anywidget): {times[0]:.1f} ms; later ones: median "
          f"{statistics.median(rest):.1f} ms")
    print(f"sent to the browser per timeline(): {max(sizes) / 1024:.1f} KB in {max(outputs)} messages "
          f"(target ≤ 300 KB; plotly.js itself never travels: the page's plotly extension has it)")
    print(f"one filter change sends {filter_size / 1024:.1f} KB back; one resize {resize_size / 1024:.1f} KB")
    if wide is not None:
        print(f"for comparison, a plotly FigureWidget of the same figure: {wide / 1024 / 1024:.2f} MB")


def synthetic_bank(n: int, seed: int = 0):
    from nukedu.model import Bank, Citation, Era, EventDate, TimelineEvent

    gen = random.Random(seed)
    events = []
    for i in range(n):
        month = gen.choice([None, *range(1, 13)])
        day = gen.choice([None, 1, 15, 28]) if month else None
        events.append(TimelineEvent(id=f"ev-{i}", date=EventDate(year=gen.randint(1991, 2024), month=month, day=day),
                                    title=f"Synthetic event number {i}", summary="s", era="all",
                                    sources=(Citation(doc="d", line=1, quote="q"),),
                                    kind="publication" if i % 7 == 0 else "event"))
    return Bank(eras=(Era(id="all", title="All", start=1991, end=2024),), events=tuple(events))


def build_part(n: int, repeat: int) -> None:
    import nukedu
    from nukedu.timeline_chart import build_chart
    from nukedu.timeline_data import check_filters

    bank = synthetic_bank(n)
    filters = check_filters(bank)
    nukedu.timeline_figure(bank=bank)  # plotly's validators load once per process
    dicts, figures = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        chart = build_chart(bank, filters, width=900)
        dicts.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        fig = nukedu.timeline_figure(bank=bank, width=900)
        figures.append((time.perf_counter() - t0) * 1000)
    hidden = sum(len(o.events) for o in chart.layout.overflow)
    print(f"{n:,} events: figure JSON built in {statistics.median(dicts):.1f} ms (median of {repeat}), "
          f"as a plotly Figure {statistics.median(figures):.1f} ms (target ≤ 150 ms)")
    print(f"  height {fig.layout.height} px ({chart.layout.lanes} lanes); {len(chart.layout.placed)} points drawn, "
          f"{hidden:,} behind {len(chart.layout.overflow)} '+k more' markers; "
          f"{len(json.dumps(chart.figure)) / 1024:.0f} KB of JSON")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--figurewidget", action="store_true", help="also measure a plotly FigureWidget (slow, ~5 MB)")
    args = parser.parse_args()
    kernel_part(args.repeat, args.figurewidget)
    build_part(args.events, args.repeat)


if __name__ == "__main__":
    main()
