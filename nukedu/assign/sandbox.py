"""Run students' code tasks for grading, so that hostile code can neither game the grade nor hurt anyone.

What the sandbox promises, in "namespaces" mode (the grader runs as root):

- Task code runs in a child of a long-lived zygote that is PID 1 of its own PID,
  mount, network, IPC and UTS namespaces: it cannot see or signal the grader,
  has no network, and every process it starts is killed when the task ends.
- Each task runs as a fresh unprivileged uid/gid with no capabilities and
  `no_new_privs`, under rlimits (CPU, address space, file size, processes,
  open files) and a wall-clock limit, in an empty private working folder.
- The `hide` paths (the course folder: gradebook.db, source/, submitted/,
  keys) and the bank folder are covered by empty read-only mounts; /tmp,
  /var/tmp, /run and /dev are replaced by empty (or minimal) ones; every
  other mount is read-only, so nothing a task writes outlives it. The task
  reads the bank from a read-only copy in memory (`$NUKEDU_BANK`).
- Expected answers never enter the sandbox: a request holds only the given
  code, the student's code and the result kinds. The child returns the
  summarised results as JSON, which this module checks for size, depth and
  exact built-in types, so a wrong or malicious value costs only that result.

What it does not promise: task code can still read world-readable files
outside the hidden paths (the Python installation, /etc, other folders of the
repository), so anything secret must be listed in `hide`; memory is limited
per process, not per task (up to `processes` x `memory_mb`); and it is not a
defence against kernel exploits. The weaker modes, chosen when namespaces are
unavailable, say what they give up in `Sandbox.warning`.

`import nukedu.assign.sandbox` loads only the standard library.
"""
from __future__ import annotations

import json
import math
import os
import secrets
import selectors
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Limits", "CodeTask", "TaskOutcome", "Sandbox", "SandboxError", "KINDS", "MODES"]

KINDS = ("int", "float", "str", "list", "dict", "figure")
MODES = ("namespaces", "user-namespace", "limits-only")
MAX_CODE_CHARS = 1_000_000
START_SECONDS = 60.0      # a cold disk can make the first plotly import slow
MARGIN_SECONDS = 10.0     # killing and reaping after the wall limit, before the zygote counts as hung
UID_BASE, UID_SPAN = 1_500_000_000, 4096
_MESSAGE_CHARS = 2000
NO_DISK_CACHE = "/dev/null/nukedu-cache"  # a folder no one can create: banks are cached in memory only


class SandboxError(RuntimeError):
    """The sandbox could not start (not something a student did)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Per-task limits; `memory_mb` is the address space a task may add on top of the zygote's own."""

    wall_seconds: float = 10.0
    cpu_seconds: int = 10
    memory_mb: int = 1024
    file_mb: int = 16
    processes: int = 32
    output_kb: int = 64
    result_kb: int = 1024

    def __post_init__(self) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            if not getattr(self, name) > 0:
                raise ValueError(f"Limits.{name} must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeTask:
    """One code task: the instructor's given code, the student's code, and result name -> kind."""

    given: str
    code: str
    results: Mapping[str, str]
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskOutcome:
    """What a task produced. Every result name is in exactly one of `values` and `problems`."""

    values: Mapping[str, Any]
    problems: Mapping[str, str]
    error: str
    output: str
    seconds: float


class _ZygoteFailed(Exception):
    """The zygote died, hung or said something malformed."""


class Sandbox:
    """A zygote that runs code tasks one at a time; see the module docstring for what it isolates."""

    def __init__(self, *, bank_dir: Path | None, hide: Sequence[Path] = (), limits: Limits = Limits(),
                 isolation: str = "auto") -> None:
        if isolation != "auto" and isolation not in MODES:
            raise ValueError(f"isolation must be auto or one of {', '.join(MODES)}; found {isolation!r}")
        self.bank_dir = Path(bank_dir).resolve() if bank_dir is not None else None
        if self.bank_dir is not None and not self.bank_dir.is_dir():
            raise ValueError(f"bank_dir {self.bank_dir} is not a folder")
        self.hide = tuple(Path(p).resolve() for p in hide)
        if Path("/") in self.hide:
            raise ValueError("cannot hide /")
        self.limits = limits
        self.requested = isolation
        self.isolation = isolation        # the mode in use once started
        self.warning = ""
        self.notes: tuple[str, ...] = ()  # details from the zygote's setup, for debugging
        self.start_seconds = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self._scratch: str | None = None
        self._lock = threading.RLock()
        self._finalizer: weakref.finalize | None = None

    @property
    def pid(self) -> int | None:
        """The host pid of the zygote's process (the `unshare` wrapper in namespaced modes), if running."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    # --- life cycle --------------------------------------------------------------------------------
    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the zygote now (`run` does it on first use); sets `isolation` and `warning`."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._stop()
            if self.requested != "auto":
                self._spawn(self.requested)
                self.warning = _warning(self.requested, ())
                return
            failures: list[str] = []
            for mode in (("namespaces",) if os.geteuid() == 0 else ()) + ("user-namespace", "limits-only"):
                try:
                    self._spawn(mode)
                except SandboxError as exc:
                    failures.append(f"{mode}: {exc}")
                    continue
                self.warning = _warning(mode, failures)
                return
            raise SandboxError("no isolation mode could start: " + "; ".join(failures))

    def close(self) -> None:
        """Kill the zygote and everything in its namespaces."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._proc = self._log = self._scratch = self._finalizer = None

    def _command(self, mode: str) -> list[str]:
        # the grader's own import path (absolute entries only: the zygote's working folder is /)
        paths = [p for p in sys.path if os.path.isabs(p)]
        root = str(Path(__file__).resolve().parents[2])
        paths += [root] if root not in paths else []
        boot = f"import sys; sys.path[:] = {paths!r}; from nukedu.assign._sandbox_child import main; main()"
        python = [sys.executable, "-I", "-c", boot]
        if mode == "limits-only":
            return python
        unshare = shutil.which("unshare", path="/usr/bin:/bin:/usr/sbin:/sbin")
        if unshare is None:
            raise SandboxError("the unshare program (util-linux) is not installed")
        user = ["--user", "--map-root-user"] if mode == "user-namespace" else []
        return [unshare, *user, "--pid", "--fork", "--kill-child", "--mount", "--mount-proc", "--net", "--ipc",
                "--uts", "--propagation", "private", "--", *python]

    def _spawn(self, mode: str) -> None:
        started = time.perf_counter()
        command = self._command(mode)
        log = tempfile.TemporaryFile()
        # no disk cache of banks: the zygote must never unpickle a file that a task could have written
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "NUKEDU_SOURCES": "/nonexistent",
               "NUKEDU_CACHE_DIR": NO_DISK_CACHE}
        try:
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                    cwd="/", env=env, bufsize=0, start_new_session=True, close_fds=True)
        except OSError as exc:
            log.close()
            raise SandboxError(f"cannot start the zygote: {exc}") from None
        self._proc, self._log = proc, log
        self._finalizer = weakref.finalize(self, _shutdown, proc, log, [None])
        os.set_blocking(proc.stdin.fileno(), False)  # type: ignore[union-attr]
        config = {"mode": mode, "limits": {n: getattr(self.limits, n) for n in Limits.__slots__},  # type: ignore[attr-defined]
                  "bank_dir": str(self.bank_dir) if self.bank_dir else None, "hide": [str(p) for p in self.hide],
                  "uid_base": UID_BASE + secrets.randbelow(1 << 19) * UID_SPAN, "uid_span": UID_SPAN}
        try:
            deadline = time.monotonic() + START_SECONDS
            self._send(config, deadline)
            ready = self._recv(deadline, 1 << 20)
        except _ZygoteFailed as exc:
            reason = _tail(log) or str(exc)
            self._stop()
            raise SandboxError(reason) from None
        if not isinstance(ready, dict) or ready.get("ready") is not True:
            reason = ready.get("error") if isinstance(ready, dict) else None
            self._stop()
            raise SandboxError(str(reason or "the zygote did not start"))
        self._scratch = ready.get("scratch") if isinstance(ready.get("scratch"), str) else None
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _shutdown, proc, log, [self._scratch])
        self.isolation = mode
        notes = ready.get("notes")
        self.notes = tuple(n for n in notes if isinstance(n, str)) if isinstance(notes, list) else ()
        self.start_seconds = time.perf_counter() - started

    # --- running a task ----------------------------------------------------------------------------
    def run(self, task: CodeTask) -> TaskOutcome:
        """Run one task. Whatever the student's code does, this returns an outcome that says so in words.

        Raises ValueError for an unknown result kind (the caller's mistake) and
        SandboxError only when no zygote can be started at all.
        """
        for name, kind in task.results.items():
            if kind not in KINDS:
                raise ValueError(f"unknown result kind {kind!r} for {name}; expected one of {', '.join(KINDS)}")
        started = time.perf_counter()
        if len(task.code) + len(task.given) > MAX_CODE_CHARS:
            return _failed(task, "the code is too long to run (over 1,000,000 characters)", started)
        request = {"given": task.given, "code": task.code, "results": dict(task.results)}
        with self._lock:
            for attempt in (1, 2):
                self.start()
                try:
                    self._send(request, time.monotonic() + MARGIN_SECONDS)
                    break
                except _ZygoteFailed:  # it died between tasks: not this task's doing, so start again
                    self._stop()
                    if attempt == 2:
                        return _failed(task, "the sandbox could not accept the task", started)
            cap = 6 * 1024 * (self.limits.output_kb + self.limits.result_kb) + (1 << 16)
            try:
                reply = self._recv(time.monotonic() + self.limits.wall_seconds + MARGIN_SECONDS, cap)
                outcome = _outcome(task, reply, self.limits)
            except _ZygoteFailed as exc:
                self._stop()  # the next task gets a fresh zygote
                return _failed(task, f"the sandbox failed while running this code ({exc}); it is restarted for the next task",
                               started)
        return outcome

    def _send(self, obj: object, deadline: float) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        data = json.dumps(obj).encode()
        view = memoryview(struct.pack(">I", len(data)) + data)
        fd = self._proc.stdin.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_WRITE)
            while view:
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    raise _ZygoteFailed("it did not read its input")
                try:
                    view = view[os.write(fd, view):]
                except BlockingIOError:
                    continue
                except OSError as exc:  # BrokenPipeError: it is gone
                    raise _ZygoteFailed(f"it stopped ({exc.strerror})") from None

    def _recv(self, deadline: float, cap: int) -> Any:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        buf = bytearray()
        need = 4
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while len(buf) < need:
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    raise _ZygoteFailed("it stopped responding")
                chunk = os.read(fd, min(need - len(buf), 1 << 16))
                if not chunk:
                    raise _ZygoteFailed("it ended unexpectedly")
                buf += chunk
                if need == 4 and len(buf) == 4:
                    size = struct.unpack(">I", buf)[0]
                    if size > cap:
                        raise _ZygoteFailed(f"its reply of {size} bytes was too large")
                    need += size
        try:
            return json.loads(bytes(buf[4:]))
        except (ValueError, RecursionError):
            raise _ZygoteFailed("its reply was not readable") from None


# --- turning a reply into an outcome ---------------------------------------------------------------
def _field(reply: dict, key: str, *types: type) -> Any:
    value = reply.get(key)
    if type(value) not in types:
        raise _ZygoteFailed(f"its reply had a bad {key!r}")
    return value


def _outcome(task: CodeTask, reply: Any, limits: Limits) -> TaskOutcome:
    if type(reply) is not dict:
        raise _ZygoteFailed("its reply was not an object")
    timed_out = _field(reply, "timed_out", bool)
    exit_code, sig = _field(reply, "exit", int, type(None)), _field(reply, "signal", int, type(None))
    seconds = float(_field(reply, "seconds", float, int))
    output = _field(reply, "output", str)[: limits.output_kb * 1024]
    dropped = _field(reply, "output_dropped", int)
    result, result_dropped = _field(reply, "result", str), _field(reply, "result_dropped", int)
    if dropped:
        output += f"\n[... {dropped:,} more bytes of output were not kept (the limit is {limits.output_kb} KB)]\n"
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    error = ""
    message = _message(result, limits) if result and not result_dropped else None
    if timed_out:
        error = f"stopped after {limits.wall_seconds:g} s (time limit)"
    elif sig is not None:
        error = _signal_words(sig, limits)
    elif result_dropped:
        error = f"the results were too large to check (over {limits.result_kb} KB)"
    elif isinstance(message, str):
        error = message
    elif message is None:
        error = f"the process ended with os._exit({exit_code})" + (" before reporting its results" if exit_code == 0 else "")
    if isinstance(message, dict) and not timed_out and sig is None:
        values, problems, error = _results(task, message)
        if not error and exit_code not in (0, None):
            error = f"the process ended with os._exit({exit_code})"
    for name in task.results:
        if name not in values and name not in problems:
            problems[name] = f"{name} was not checked: the code did not finish"
    return TaskOutcome(values=values, problems=problems, error=error, output=output, seconds=seconds)


def _message(text: str, limits: Limits) -> dict | str:
    """The child's results message, or why it cannot be used."""
    if len(text) > limits.result_kb * 1024:
        return f"the results were too large to check (over {limits.result_kb} KB)"
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return "the results message could not be read (did the code write to the sandbox's file descriptors?)"
    if type(message) is not dict:
        return "the results message could not be read"
    if type(message.get("setup_error")) is str:
        return f"the sandbox could not prepare the task: {message['setup_error'][:_MESSAGE_CHARS]}"
    return message


def _results(task: CodeTask, message: dict) -> tuple[dict[str, Any], dict[str, str], str]:
    raw_values = message.get("values") if type(message.get("values")) is dict else {}
    raw_problems = message.get("problems") if type(message.get("problems")) is dict else {}
    error = message.get("error") if type(message.get("error")) is str else ""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, kind in task.results.items():
        if name in raw_values:
            ok, checked = _checked(kind, raw_values[name])
            if ok:
                values[name] = checked
            else:
                problems[name] = checked
        elif type(raw_problems.get(name)) is str:
            problems[name] = _short(raw_problems[name])
        else:
            problems[name] = f"{name} was not reported"
    return values, problems, _short(error)


def _short(text: str) -> str:
    return text if len(text) <= _MESSAGE_CHARS else text[:_MESSAGE_CHARS] + "..."


_JSON_NAMES = {int: "int", float: "float", str: "str", list: "list", dict: "dict", bool: "bool", type(None): "None"}


def _checked(kind: str, value: Any) -> tuple[bool, Any]:
    """(True, the value) when it has exactly the built-in type the kind needs, else (False, a problem)."""
    found = _JSON_NAMES.get(type(value), type(value).__name__)
    if kind == "int":
        return (True, value) if type(value) is int else (False, f"expected a whole number, found {found}")
    if kind == "float":
        if type(value) in (int, float) and math.isfinite(value):
            return True, float(value)
        return False, f"expected a finite number, found {found}"
    if kind == "str":
        return (True, value) if type(value) is str else (False, f"expected a text (str), found {found}")
    if kind == "list":
        if type(value) is list and all(type(v) is str for v in value):
            return True, value
        return False, "expected a list of texts"
    if type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        return True, value
    return False, "expected a plotly figure's points" if kind == "figure" else "expected a dict of texts"


def _signal_words(sig: int, limits: Limits) -> str:
    if sig == signal.SIGXCPU:
        return f"stopped after {limits.cpu_seconds} s of CPU time (CPU limit)"
    if sig == signal.SIGKILL:
        return "the process was killed (SIGKILL; this also happens when memory runs out)"
    if sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT):
        return f"the process crashed ({signal.Signals(sig).name}; perhaps at the memory limit of {limits.memory_mb} MB)"
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    return f"the process was killed by {name}"


def _failed(task: CodeTask, error: str, started: float) -> TaskOutcome:
    problems = {name: f"{name} was not checked: the code did not finish" for name in task.results}
    return TaskOutcome(values={}, problems=problems, error=error, output="", seconds=time.perf_counter() - started)


# --- helpers -------------------------------------------------------------------------------------
def _warning(mode: str, failures: Sequence[str]) -> str:
    why = f" ({'; '.join(failures)})" if failures else ""
    if mode == "namespaces":
        return ""
    if mode == "user-namespace":
        return ("WARNING: code tasks run in a user namespace as the grader's own user, not as a separate user per task"
                f"{why}: the course paths, /tmp and the network are out of reach and every file is read-only, "
                "but student code can read every other file this user can read, such as the home folder.")
    if os.geteuid() == 0:
        return ("WARNING: code tasks run without namespaces" + why + ": each task runs as a separate unprivileged "
                "user, but student code can read every world-readable file, reach the network, write to shared "
                "folders such as /tmp, and leave processes behind when it escapes its process group; only time, "
                "memory, process and file-size limits apply.")
    return ("WARNING: code tasks run without namespaces or a separate user (not root and no user namespaces"
            + (f"; {'; '.join(failures)}" if failures else "") + "): student code can read and change every file "
            "this user can, including the course directory and gradebook.db, reach the network and signal this "
            "user's processes, the grader included; only time, memory, process and file-size limits apply.")


def _tail(log: Any, limit: int = 2000) -> str:
    try:
        log.seek(0, os.SEEK_END)
        size = log.tell()
        log.seek(max(0, size - limit))
        return log.read(limit).decode("utf-8", errors="replace").strip()
    except (OSError, ValueError):
        return ""


def _shutdown(proc: subprocess.Popen[bytes], log: Any, scratch: list[str | None]) -> None:
    """Kill the zygote's process group (with `unshare --kill-child` that ends the whole namespace)."""
    for stream in (proc.stdin, proc.stdout):
        try:
            stream.close()  # type: ignore[union-attr]
        except OSError:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    log.close()
    if scratch[0]:
        _remove_tree(scratch[0])


def _remove_tree(path: str) -> None:
    """Remove limits-only mode's scratch folder, whose bank copy is read-only (0555) on purpose."""
    for folder, dirs, _ in os.walk(path):
        for name in dirs:
            try:
                os.chmod(os.path.join(folder, name), 0o700, follow_symlinks=False)
            except (OSError, NotImplementedError):
                pass
    shutil.rmtree(path, ignore_errors=True)
