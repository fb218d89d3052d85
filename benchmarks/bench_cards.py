"""What a big quiz costs a kernel: build-and-display time and bytes over the comm.

Run: `.venv/bin/python benchmarks/bench_cards.py [--n 200] [--repeat 5]`.

Starts a real IPython kernel (jupyter_client), imports nukedu and loads the
shipped bank there (reported apart, as a lesson pays it once), then builds and
displays a quiz of `n` questions `repeat` times, timing it inside the kernel.
Every iopub message the front end would receive for the display (comm_open with
the ESM and CSS, comm_msg, display_data) is counted as serialised JSON bytes, and
so are the replies to answering one question. Targets from issue 13: build ≤ 50 ms,
comm ≤ 300 KB for 200 questions (the ipywidgets cards took 2.3–2.6 s, 6.5 MB,
7,822 widgets). Prints figures only; nothing asserts a time.
"""
from __future__ import annotations

import argparse
import time

from _kernel import run, stdout  # benchmarks/_kernel.py (scripts run from this folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        msgs, _ = run(client, "import time\nt0 = time.perf_counter()\nimport nukedu\n"
                              "bank = nukedu.load_bank()\n"
                              "print(f'{(time.perf_counter() - t0) * 1000:.1f} {len(bank.questions)}')")
        load_ms, count = stdout(msgs).split()
        n = min(args.n, int(count))
        times, sizes, comms = [], [], []
        for i in range(args.repeat):
            msgs, size = run(client, "from IPython.display import display\nt0 = time.perf_counter()\n"
                                     f"q = nukedu.quiz(n={n}, seed={i}, bank=bank)\ndisplay(q)\n"
                                     "print(f'{(time.perf_counter() - t0) * 1000:.2f}')")
            times.append(float(stdout(msgs)))
            sizes.append(size)
            comms.append(sum(m["msg_type"] == "comm_open" for m in msgs))
        # one answer: what a check costs on the wire (the kernel's reply to the page)
        msgs, check_size = run(client, "import itertools\n"
                                        "t0 = time.perf_counter()\n"
                                        "q._receive(q, {'action': 'check', 'response': None, 'seq': 'b-1'}, [])\n"
                                        "q._receive(q, {'action': 'go', 'index': 1, 'seq': 'b-2'}, [])\n"
                                        "print(f'{(time.perf_counter() - t0) * 1000:.2f}')")
        act_ms = float(stdout(msgs))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    import statistics

    print(f"import nukedu + load the shipped bank in a kernel: {float(load_ms):.0f} ms (once per kernel)")
    print(f"first quiz in the kernel (includes importing anywidget and ipywidgets): {times[0]:.1f} ms")
    rest = times[1:] or times
    print(f"quiz of {n} questions, build + display, in the kernel: median {statistics.median(rest):.1f} ms, "
          f"worst {max(rest):.1f} ms over {len(rest)} later runs (target ≤ 50 ms; ipywidgets cards: 2300-2600 ms)")
    print(f"sent to the front end per quiz: {max(sizes) / 1024:.1f} KB in {max(comms)} widget(s) "
          f"(target ≤ 300 KB; ipywidgets cards: 6.5 MB in 7,822 widgets)")
    print(f"two actions (a check with nothing chosen, then Next): {act_ms:.2f} ms in the kernel, {check_size / 1024:.1f} KB back")


if __name__ == "__main__":
    main()
