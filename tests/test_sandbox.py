"""The code-task sandbox, tested the way a hostile student would try it.

Most tests share one namespaced sandbox per module (the point of each is what
one task can or cannot do, and that the next task still works); the tests of
the weaker modes and of a misbehaving zygote start their own. Nothing here
times anything: `benchmarks/bench_sandbox.py` prints the figures.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from nukedu.assign.sandbox import CodeTask, Limits, Sandbox, SandboxError, TaskOutcome

from .conftest import MINI_BANK, REPO

LIMITS = Limits(wall_seconds=2, cpu_seconds=2, memory_mb=256, file_mb=4, processes=16, output_kb=16, result_kb=64)
GIVEN = "import nukedu\nimport plotly.graph_objects as go\nbank = nukedu.load_bank()\n"
SECRET = "SECRET-KEY-4711"

needs_root = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                                reason="namespaces mode needs root and util-linux unshare")


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sandbox") / "bank"
    shutil.copytree(MINI_BANK, target)
    return target


def _outside_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch folder that the sandbox does not hide anyway (it replaces all of /tmp and /root)."""
    for parent in (REPO.parent, Path("/var/lib")):
        if os.access(parent, os.W_OK):
            return Path(tempfile.mkdtemp(prefix=".nukedu-sandbox-test-", dir=parent))
    return tmp_path_factory.mktemp("course-root")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory):
    """A course folder like the grader's: gradebook, keys, submissions; all of it must stay out of reach."""
    scratch = _outside_tmp(tmp_path_factory)
    root = _fill_course(scratch / "course")
    for path in (scratch, *scratch.rglob("*")):  # world-readable, the worst case: only the hiding protects it
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield root
    shutil.rmtree(scratch, ignore_errors=True)


def _fill_course(root: Path) -> Path:
    (root / "nukedu" / "a1").mkdir(parents=True)
    (root / "submitted" / "alice").mkdir(parents=True)
    (root / "gradebook.db").write_text(SECRET)
    (root / "nukedu" / "a1" / "key.json").write_text(f'{{"first_year": 1991, "secret": "{SECRET}"}}')
    (root / "submitted" / "alice" / "a1.ipynb").write_text("{}")
    return root


def _sandbox(bank_dir: Path, course: Path, isolation: str, limits: Limits = LIMITS) -> Sandbox:
    box = Sandbox(bank_dir=bank_dir, hide=(course,), limits=limits, isolation=isolation)
    try:
        box.start()
    except SandboxError as exc:
        pytest.skip(f"{isolation} isolation does not work here: {exc}")
    return box


@pytest.fixture(scope="module")
def sandbox(bank_dir: Path, course: Path):
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("namespaces mode needs root and util-linux unshare")
    box = _sandbox(bank_dir, course, "namespaces")
    yield box
    box.close()


def run(box: Sandbox, code: str, results: dict[str, str] | None = None, given: str = GIVEN) -> TaskOutcome:
    return box.run(CodeTask(given=given, code=textwrap.dedent(code), results=results or {}, label="Task 1"))


def assert_works(box: Sandbox) -> None:
    """The sandbox still grades an honest task correctly."""
    out = run(box, "first_year = min(e.date.year for e in bank.events)", {"first_year": "int"})
    assert (out.values, out.problems, out.error) == ({"first_year": 1991}, {}, "")


# --- honest work --------------------------------------------------------------------------------
@needs_root
def test_honest_task_gives_every_kind(sandbox: Sandbox) -> None:
    out = run(sandbox, """
        first_year = min(e.date.year for e in bank.events)
        share = 3 / 4
        title = bank.events[0].title
        ids = [e.id for e in bank.events][:2]
        years = {e.id: e.date.year for e in bank.events[:2]}
        fig = go.Figure(go.Bar(x=["1991", "1994"], y=[1, 2]))
        print("done")
    """, {"first_year": "int", "share": "float", "title": "str", "ids": "list", "years": "dict", "fig": "figure"})
    assert out.error == "" and out.problems == {}
    assert out.values == {
        "first_year": 1991, "share": 0.75, "title": "Ukraine joins the NACC", "ids": ["ev-1991-nacc", "ev-1994-pfp"],
        "years": {"ev-1991-nacc": "1991", "ev-1994-pfp": "1994"}, "fig": {"1991": "1", "1994": "2"},
    }
    assert type(out.values["first_year"]) is int and type(out.values["share"]) is float
    assert out.output == "done\n" and isinstance(out.seconds, float)
    assert sandbox.isolation == "namespaces" and sandbox.warning == ""


@needs_root
def test_given_and_student_code_share_a_namespace(sandbox: Sandbox) -> None:
    out = run(sandbox, "answer = double(21)", {"answer": "int"}, given="def double(x):\n    return 2 * x\n")
    assert out.values == {"answer": 42}


@needs_root
def test_modules_the_zygote_did_not_preload_still_import(sandbox: Sandbox) -> None:
    """The fresh task user must still read the Python installation, wherever it lives (say under /root)."""
    out = run(sandbox, "import csv, sqlite3, email.mime.text, zoneinfo\nok = 'yes'\n", {"ok": "str"}, given="")
    assert (out.values, out.error) == ({"ok": "yes"}, "")


@needs_root
def test_a_failing_given_code_is_named_as_such(sandbox: Sandbox) -> None:
    out = run(sandbox, "x = 1", {"x": "int"}, given="import nukedu\nbank = nukedu.load_bank('/no/such/bank')\n")
    assert out.error.startswith("BankError") and out.error.endswith("(line 2 of the given code)")
    assert out.problems == {"x": "x is not defined (your code stopped before it was set)"}


@needs_root
def test_syntax_error_names_the_students_line(sandbox: Sandbox) -> None:
    out = run(sandbox, "a = 1\nb = (2,\n", {"a": "int"})
    assert out.error.startswith("SyntaxError") and "line 2 of your code" in out.error
    assert out.problems == {"a": "a is not defined (your code stopped before it was set)"}


@needs_root
def test_exception_names_the_students_line(sandbox: Sandbox) -> None:
    out = run(sandbox, "a = 1\nb = 0\nc = a / b\n", {"a": "int", "c": "int"})
    assert out.error == "ZeroDivisionError: division by zero (line 3 of your code)"
    assert out.values == {"a": 1}  # set before the error, so still checked
    assert "c = a / b" in out.output  # the traceback quotes the student's line


@needs_root
def test_exit_is_reported(sandbox: Sandbox) -> None:
    out = run(sandbox, "x = 5\nraise SystemExit(2)\n", {"x": "int"})
    assert out.error == "the code called exit(2) (line 2 of your code)" and out.values == {"x": 5}
    out = run(sandbox, "import os\nos._exit(3)\n", {"x": "int"})
    assert out.error == "the process ended with os._exit(3)"
    assert out.problems == {"x": "x was not checked: the code did not finish"}


@needs_root
def test_missing_result_and_wrong_type_cost_only_that_result(sandbox: Sandbox) -> None:
    out = run(sandbox, "first_year = 1991\nname = 5\nempty = ...\n",
              {"first_year": "int", "name": "str", "count": "int", "empty": "list"})
    assert out.error == "" and out.values == {"first_year": 1991}
    assert out.problems == {"name": "expected a text (str), found int", "count": "count is not defined",
                            "empty": "empty has no value yet (it is still ...)"}


@needs_root
def test_forged_results_message_is_checked_for_exact_types(sandbox: Sandbox) -> None:
    """Writing straight to the results pipe gets past `summarise`, not past the parent's type checks."""
    out = run(sandbox, """
        import os
        os.write(3, b'{"values": {"n": true, "f": NaN, "s": 5, "l": ["a", 1], "d": {"a": 1}, "g": 3, "ok": 7},'
                    b' "problems": {}, "error": ""}')
        os._exit(0)
    """, {"n": "int", "f": "float", "s": "str", "l": "list", "d": "dict", "g": "figure", "ok": "int"})
    assert out.values == {"ok": 7} and out.error == ""
    assert out.problems == {
        "n": "expected a whole number, found bool", "f": "expected a finite number, found float",
        "s": "expected a text (str), found int", "l": "expected a list of texts", "d": "expected a dict of texts",
        "g": "expected a plotly figure's points",
    }


@needs_root
def test_str_subclass_that_equals_everything_arrives_as_plain_str(sandbox: Sandbox) -> None:
    out = run(sandbox, """
        class Sly(str):
            def __eq__(self, other):
                return True
            __hash__ = str.__hash__
        answer = Sly("wrong")
        year = Sly("1991")
    """, {"answer": "str", "year": "list"})
    assert out.values["answer"] == "wrong" and type(out.values["answer"]) is str
    assert out.values["answer"] != "right"


@needs_root
def test_huge_and_deep_results_are_refused_without_harm(sandbox: Sandbox) -> None:
    out = run(sandbox, """
        big = "x" * 200_000
        deep = []
        for _ in range(100_000):
            deep = [deep]
        small = 1
    """, {"big": "str", "deep": "list", "small": "int"})
    assert out.values == {"small": 1} and out.error == ""
    assert out.problems["big"].startswith("big is too large to check")
    assert out.problems["deep"].startswith("could not read deep: RecursionError")
    # a forged message that is deep or over the cap loses the results, nothing else
    for forged in ('b"[" * 50_000', 'b"x" * 100_000'):
        out = run(sandbox, f"import os\nos.write(3, {forged})\nos._exit(0)\n", {"small": "int"})
        assert out.values == {} and out.error.startswith(("the results message could not be read",
                                                          "the results were too large"))
    assert_works(sandbox)


# --- limits -------------------------------------------------------------------------------------
@needs_root
@pytest.mark.slow
def test_endless_loop_stops_at_the_limit_and_the_next_task_works(sandbox: Sandbox) -> None:
    out = run(sandbox, "x = 1\nwhile True:\n    pass\n", {"x": "int"})
    assert out.error == "stopped after 2 s (time limit)"
    assert out.problems == {"x": "x was not checked: the code did not finish"}
    assert_works(sandbox)


@needs_root
@pytest.mark.slow
def test_fork_bomb_hits_the_process_limit(sandbox: Sandbox) -> None:
    pid = sandbox.pid
    out = run(sandbox, """
        import os
        try:
            while True:
                os.fork()
        except OSError as exc:
            stopped = str(exc)
    """, {"stopped": "str"})
    assert "Resource temporarily unavailable" in out.values.get("stopped", out.error)
    assert sandbox.pid == pid
    assert_works(sandbox)


@needs_root
def test_memory_hog_fails_cleanly(sandbox: Sandbox) -> None:
    out = run(sandbox, "x = 1\nhuge = bytearray(8 * 1024 ** 3)\n", {"x": "int"})
    assert out.error == "MemoryError: out of memory (the limit is 256 MB) (line 2 of your code)"
    assert out.values == {"x": 1}
    out = run(sandbox, "chunks = []\nwhile True:\n    chunks.append(bytearray(32 * 1024 * 1024))\n", {})
    assert out.error.startswith("MemoryError")
    assert_works(sandbox)


@needs_root
def test_file_size_is_limited(sandbox: Sandbox) -> None:
    out = run(sandbox, """
        try:
            with open("big.bin", "wb") as f:
                f.write(b"x" * (5 * 1024 * 1024))
            wrote = "yes"
        except OSError as exc:
            wrote = exc.strerror
    """, {"wrote": "str"})
    assert out.values == {"wrote": "File too large"}


@needs_root
def test_printing_ten_megabytes_is_capped(sandbox: Sandbox) -> None:
    out = run(sandbox, 'print("x" * 10_000_000)\nimport sys\nsys.stderr.write("e" * 1_000_000)\ndone = 1\n',
              {"done": "int"})
    assert out.values == {"done": 1} and out.error == ""
    assert len(out.output) < 17 * 1024 and "more bytes of output were not kept (the limit is 16 KB)" in out.output


# --- the file system ----------------------------------------------------------------------------
WRITE_ATTEMPTS = textwrap.dedent("""
    import os
    def attempt(path):
        try:
            with open(path, "w") as f:
                f.write("pwned")
            return "written"
        except OSError as exc:
            return type(exc).__name__
    tried = {{name: attempt(path) for name, path in {targets!r}.items()}}
    tried["bank copy"] = attempt(os.path.join(os.environ["NUKEDU_BANK"], "timeline.yaml"))
""")


def _write_targets(course: Path, bank_dir: Path) -> dict[str, str]:
    return {"gradebook": str(course / "gradebook.db"), "course": str(course / "new.txt"),
            "bank folder": str(bank_dir / "timeline.yaml"), "tmp": "/tmp/pwned", "var tmp": "/var/tmp/pwned",
            "shm": "/dev/shm/pwned", "repo": str(REPO / "pwned-by-task.txt"), "etc": "/etc/pwned"}


def _assert_nothing_written(course: Path, bank_dir: Path, targets: dict[str, str]) -> None:
    assert (course / "gradebook.db").read_text() == SECRET
    assert (bank_dir / "timeline.yaml").read_text() == (MINI_BANK / "timeline.yaml").read_text()
    planted = [path for name, path in targets.items() if name not in ("gradebook", "bank folder") and Path(path).exists()]
    for path in planted:  # a broken sandbox must not leave files in /etc or the repository
        Path(path).unlink()
    assert planted == []


@needs_root
def test_writes_outside_the_task_folder_fail_and_leave_nothing(sandbox: Sandbox, course: Path, bank_dir: Path) -> None:
    targets = _write_targets(course, bank_dir)
    out = run(sandbox, WRITE_ATTEMPTS.format(targets=targets), {"tried": "dict"})
    assert out.error == "" and set(out.values["tried"]) == {*targets, "bank copy"}
    assert "written" not in out.values["tried"].values(), out.values["tried"]
    _assert_nothing_written(course, bank_dir, targets)


@needs_root
def test_hidden_course_files_cannot_be_read(sandbox: Sandbox, course: Path, bank_dir: Path) -> None:
    out = run(sandbox, f"""
        import os
        def read(path):
            try:
                with open(path) as f:
                    return f.read()
            except OSError as exc:
                return type(exc).__name__
        def listing(path):
            try:
                return os.listdir(path)
            except OSError as exc:
                return [type(exc).__name__]
        found = [read({str(course / "gradebook.db")!r}), read({str(course / "nukedu/a1/key.json")!r})]
        listed = listing({str(course)!r}) + listing({str(bank_dir)!r})
        leaked = [p for p in ("/root", "/tmp") for name in os.listdir(p) if "{SECRET}" in name]
    """, {"found": "list", "listed": "list", "leaked": "list"})
    assert out.values == {"found": ["FileNotFoundError", "FileNotFoundError"], "listed": ["FileNotFoundError"],
                          "leaked": []}  # the course folder shows empty; the bank folder is under the new /tmp
    assert SECRET not in out.output


@needs_root
def test_task_folder_is_private_fresh_and_owned_by_a_fresh_user(sandbox: Sandbox) -> None:
    code = """
        import os, stat
        before = sorted(os.listdir("."))
        with open("note.txt", "w") as f:
            f.write("left for the next student")
        me = os.getuid()
        mode = oct(stat.S_IMODE(os.stat(".").st_mode))
        home = str(os.environ["HOME"] == os.getcwd())
        try:
            os.setuid(0)
            root = "became root"
        except PermissionError:
            root = "refused"
        caps = [line.split()[1] for line in open("/proc/self/status") if line.startswith("CapEff")][0]
        devices = sorted(os.listdir("/dev"))
    """
    kinds = {"before": "list", "me": "int", "mode": "str", "home": "str", "root": "str", "caps": "str", "devices": "list"}
    first, second = run(sandbox, code, kinds), run(sandbox, code, kinds)
    for out in (first, second):
        assert out.error == ""
        assert out.values["before"] == [] and out.values["mode"] == "0o700" and out.values["home"] == "True"
        assert out.values["root"] == "refused" and out.values["caps"] == "0000000000000000"
        assert out.values["me"] >= 1_500_000_000
        assert "vda" not in out.values["devices"] and "null" in out.values["devices"]
    assert first.values["me"] != second.values["me"]


# --- processes, signals, network ------------------------------------------------------------------
@needs_root
def test_proc_shows_no_grader(sandbox: Sandbox) -> None:
    out = run(sandbox, """
        import os
        me = os.getpid()
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        others = [str(p) for p in pids if p not in (1, me)]
        commands = []
        for p in pids:
            try:
                commands.append(open(f"/proc/{p}/cmdline", "rb").read().replace(b"\\0", b" ").decode())
            except OSError:
                pass
        parent = os.getppid()
        zygote = []
        for name in ("mem", "environ", "fd"):
            try:
                os.listdir("/proc/1/fd") if name == "fd" else open(f"/proc/1/{name}", "rb").read(1)
                zygote.append(name + ": read")
            except OSError as exc:
                zygote.append(name + ": " + type(exc).__name__)
        import ctypes
        traced = str(ctypes.CDLL(None, use_errno=True).ptrace(16, 1, 0, 0))  # PTRACE_ATTACH to the zygote
    """, {"others": "list", "commands": "list", "parent": "int", "zygote": "list", "traced": "str"})
    assert out.values["others"] == [] and out.values["parent"] == 1
    assert out.values["zygote"] == ["mem: PermissionError", "environ: PermissionError", "fd: PermissionError"]
    assert out.values["traced"] == "-1"
    assert not any("pytest" in c for c in out.values["commands"])
    assert str(os.getpid()) not in out.values["others"]


@needs_root
@pytest.mark.parametrize("attack", ["os.kill(os.getppid(), 9)", "os.kill(1, 9)", "os.kill(1, 15)", "os.kill(-1, 9)",
                                    "os.killpg(0, 9)"])
def test_signals_cannot_reach_the_grader(sandbox: Sandbox, attack: str) -> None:
    pid = sandbox.pid
    out = run(sandbox, f"import os\n{attack}\nsurvived = 1\n", {"survived": "int"})
    # refused (another user, or PID 1 of the namespace), or the task killed only itself
    assert out.values == {"survived": 1} or out.error.startswith((
        "PermissionError", "ProcessLookupError", "the process was killed (SIGKILL")), out.error
    assert sandbox.pid == pid  # the zygote was not even restarted
    assert_works(sandbox)


@needs_root
def test_daemon_is_gone_before_the_next_task(sandbox: Sandbox) -> None:
    out = run(sandbox, """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:  # a daemon that would spy on, or plant files for, the next student
                for _ in range(100):
                    time.sleep(0.05)
                    try:
                        open("/tmp/work/planted", "w").write("x")
                    except OSError:
                        pass
                    print("DAEMON WAS HERE", flush=True)
                os._exit(0)
            os._exit(0)
        time.sleep(0.2)
        started = 1
    """, {"started": "int"})
    assert out.values == {"started": 1}
    out = run(sandbox, """
        import os, time
        time.sleep(0.3)
        others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]
        seen = os.listdir(".")
    """, {"others": "list", "seen": "list"})
    assert out.values == {"others": [], "seen": []} and "DAEMON" not in out.output


@needs_root
def test_no_network(sandbox: Sandbox) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        out = run(sandbox, f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=1).close()
                reached = "connected"
            except OSError as exc:
                reached = "blocked: " + type(exc).__name__
        """, {"reached": "str"})
        assert out.values["reached"].startswith("blocked")
        server.settimeout(0.2)
        with pytest.raises(TimeoutError):
            server.accept()


@needs_root
def test_timeline_only_bank_carries_no_quiz_questions(tmp_path: Path, course: Path) -> None:
    """The grader passes a folder with only timeline.yaml and glossary.yaml: no quiz answers enter the sandbox."""
    from nukedu import BankError, load_bank

    for name in ("timeline.yaml", "glossary.yaml"):
        shutil.copy(MINI_BANK / name, tmp_path / name)
    try:
        load_bank(tmp_path)
    except BankError:
        pytest.skip("this loader still needs questions/")
    with _sandbox(tmp_path, course, "namespaces") as box:
        out = run(box, "events = len(bank.events)\nquestions = len(bank.questions)\n",
                  {"events": "int", "questions": "int"})
        assert (out.values, out.error) == ({"events": 3, "questions": 0}, "")


@needs_root
def test_two_sandboxes_at_once_use_different_users(bank_dir: Path, course: Path, sandbox: Sandbox) -> None:
    code = """
        import os, time
        me = os.getuid()
        time.sleep(0.3)
        others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]
    """
    with _sandbox(bank_dir, course, "namespaces") as other:
        results: dict[str, TaskOutcome] = {}
        threads = [threading.Thread(target=lambda b=b, k=k: results.__setitem__(k, run(b, code, {"me": "int", "others": "list"})))
                   for k, b in (("one", sandbox), ("two", other))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results["one"].values["others"] == results["two"].values["others"] == []
    assert results["one"].values["me"] != results["two"].values["me"]


# --- a zygote that dies or talks nonsense -----------------------------------------------------------
@needs_root
@pytest.mark.slow
def test_zygote_killed_mid_task_is_reported_and_restarted(bank_dir: Path, course: Path) -> None:
    with _sandbox(bank_dir, course, "namespaces") as box:
        first = box.pid
        killer = threading.Timer(0.5, os.killpg, (first, signal.SIGKILL))
        killer.start()
        out = run(box, "import time\ntime.sleep(1.5)\nx = 1\n", {"x": "int"})
        killer.join()
        assert out.error.startswith("the sandbox failed while running this code") and out.values == {}
        assert_works(box)
        assert box.pid not in (None, first)
        os.killpg(box.pid, signal.SIGKILL)  # dead between tasks: the next task just gets a new zygote
        time.sleep(0.1)
        assert_works(box)


FAKE_ZYGOTE = """
import os, sys
from nukedu.assign._sandbox_child import read_frame, write_frame
read_frame(0, 1 << 20)
write_frame(1, {{"ready": True, "isolation": "limits-only", "notes": []}})
read_frame(0, 1 << 24)
{reply}
sys.stdin.buffer.read()
"""


@pytest.mark.parametrize("reply", [
    'os.write(1, b"\\xff\\xff\\xff\\xffgarbage")',
    'os.write(1, b"\\x00\\x00\\x00\\x05{{{{{")',
    'write_frame(1, {"timed_out": "no", "exit": 0})',
    'write_frame(1, [[[[]]]])',
    'os._exit(1)',
])
def test_zygote_talking_nonsense_costs_only_this_task(reply: str) -> None:
    class Fake(Sandbox):
        def _command(self, mode: str) -> list[str]:
            return [sys.executable, "-c", FAKE_ZYGOTE.format(reply=reply)]

    with Fake(bank_dir=None, isolation="limits-only") as box:
        for _ in range(2):  # each time a new fake starts, so each task fails the same way
            out = run(box, "x = 1", {"x": "int"}, given="")
            assert out.error.startswith("the sandbox failed while running this code")
            assert out.problems == {"x": "x was not checked: the code did not finish"}


# --- weaker modes -------------------------------------------------------------------------------
def test_limits_only_mode_runs_tasks_and_warns(bank_dir: Path, course: Path) -> None:
    with _sandbox(bank_dir, course, "limits-only") as box:
        assert box.isolation == "limits-only" and box.warning.startswith("WARNING")
        out = run(box, "first_year = min(e.date.year for e in bank.events)\nfig = go.Figure(go.Bar(x=[1], y=[2]))\n",
                  {"first_year": "int", "fig": "figure"})
        assert (out.values, out.error) == ({"first_year": 1991, "fig": {"1": "2"}}, "")
        out = run(box, "x = 1\nraise ValueError('no')\n", {"x": "int"})
        assert out.error == "ValueError: no (line 2 of your code)" and out.values == {"x": 1}


@pytest.mark.slow
def test_user_namespace_mode_runs_tasks_and_hides_the_course(bank_dir: Path, course: Path) -> None:
    with _sandbox(bank_dir, course, "user-namespace") as box:
        assert box.isolation == "user-namespace" and box.warning.startswith("WARNING")
        assert_works(box)
        targets = _write_targets(course, bank_dir)
        out = run(box, WRITE_ATTEMPTS.format(targets=targets) + f"\nsecret = os.listdir({str(course)!r})\n",
                  {"tried": "dict", "secret": "list"})
        assert "written" not in out.values["tried"].values() and out.values["secret"] == []
        _assert_nothing_written(course, bank_dir, targets)


def test_unknown_kind_and_bad_isolation_are_the_callers_mistake() -> None:
    with pytest.raises(ValueError):
        Sandbox(bank_dir=None, isolation="chroot")
    with pytest.raises(ValueError):
        Sandbox(bank_dir=None).run(CodeTask(given="", code="", results={"x": "complex"}))
