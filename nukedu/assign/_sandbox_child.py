"""The sandbox's zygote and its per-task children; the parent side is `nukedu.assign.sandbox`.

`Sandbox` starts this module (inside `unshare` unless isolation is
"limits-only"). It reads one config frame, prepares once (imports, a copy of
the bank, the file-system view), answers with a ready frame, then serves one
task frame at a time: fork a child, let the child drop every privilege and run
the code, wait with the wall clock, read both pipes with caps, kill whatever
the task left behind, reply. Frames are a 4-byte big-endian length and UTF-8
JSON on the zygote's stdin/stdout.

The zygote never runs student code and never parses what a child sends: it
forwards the child's bytes to the parent, which validates them. Everything
here uses the standard library (plus ctypes for mount/prctl/capset), because
it must be importable before anything else is trusted.
"""
from __future__ import annotations

import ctypes
import fcntl
import gc
import json
import mmap
import os
import resource
import select
import shutil
import signal
import struct
import sys
import tempfile
import time

MAX_CONFIG = 1 << 20
MAX_REQUEST = 16 << 20
CHUNK = 1 << 16
MB = 1 << 20
RESERVE = 4 * MB              # address space given back when the task runs out, so its error can be reported
TASK_DIR = "/tmp/work"        # namespaced modes: a fresh tmpfs here for every task
BANK_COPY = "/tmp/.nukedu-bank"
STAGE = "/tmp/.nukedu-stage"
GIVEN, YOURS = "<given code>", "<your code>"
NO_DISK_CACHE = "/dev/null/nukedu-cache"  # a folder no one can create: banks are cached in memory only

# <sys/mount.h>, <linux/prctl.h>, <linux/capability.h>
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_MOVE, MS_REC = 1024, 2048, 4096, 8192, 16384
MS_RELATIME, MS_STRICTATIME = 1 << 21, 1 << 24
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_SECUREBITS = 1, 4, 24, 28
PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 36, 38, 47, 4
SECURE_ALL = 0b11101111       # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS_LOCKED, NO_CAP_AMBIENT_RAISE, each locked
CAP_VERSION_3 = 0x20080522
PER_MOUNT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                   "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}
DEVICES = ("null", "zero", "full", "random", "urandom")
IGNORED_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGALRM",
                   "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF")
PRELOAD = ("json", "math", "statistics", "collections", "itertools", "functools", "datetime", "re", "random",
           "string", "textwrap", "decimal", "fractions", "operator", "types", "linecache", "traceback")

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda s: None if s is None else s.encode())
    _check(_libc.mount(enc(source), target.encode(), enc(fstype), flags, enc(data)), f"mount {target}")


def _prctl(option: int, arg: int = 0, arg3: int = 0) -> None:
    _check(_libc.prctl(option, arg, arg3, 0, 0), f"prctl {option}")


# --- frames ----------------------------------------------------------------------------------------
def _read_exact(fd: int, n: int) -> bytes | None:
    parts, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, CHUNK))
        if not chunk:
            return None
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def read_frame(fd: int, cap: int) -> object:
    """One frame; EOFError at a clean end, ValueError for anything malformed or over `cap`."""
    head = _read_exact(fd, 4)
    if head is None:
        raise EOFError
    (size,) = struct.unpack(">I", head)
    if size > cap:
        raise ValueError(f"frame of {size} bytes is over the cap of {cap}")
    body = _read_exact(fd, size)
    if body is None:
        raise EOFError
    return json.loads(body)


def write_frame(fd: int, obj: object) -> None:
    data = json.dumps(obj, ensure_ascii=True).encode()
    _write_all(fd, struct.pack(">I", len(data)) + data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# --- the file-system view (namespaced modes) ------------------------------------------------------
def _blocked(path: str) -> str | None:
    """The first directory on the way to `path` that "other" users cannot traverse (or list, for `path`)."""
    parts = path.strip("/").split("/")
    for i in range(len(parts) + 1):
        here = "/" + "/".join(parts[:i])
        need = 0o005 if i == len(parts) else 0o001
        try:
            if os.stat(here).st_mode & need != need:
                return here
        except OSError:
            return None
    return None


def _replace(directory: str, keep: list[str]) -> None:
    """Cover `directory` with a tmpfs that shows only `keep` (names in it), each bound from the original."""
    os.makedirs(STAGE, exist_ok=True)
    stage = tempfile.mkdtemp(dir=STAGE)
    _mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k,nr_inodes=1024")
    for name in keep:
        source, target = os.path.join(directory, name), os.path.join(stage, name)
        if os.path.isdir(source):
            os.mkdir(target, 0o755)
        else:
            open(target, "w").close()
        _mount(source, target, None, MS_BIND | MS_REC)
    _mount(stage, directory, None, MS_MOVE)
    os.rmdir(stage)


def _reveal(paths: list[str], notes: list[str]) -> None:
    """Make the interpreter's import paths readable by the task user when a parent (e.g. /root) is private.

    The private parent is covered with a tmpfs holding only the needed child, so
    the rest of it (say the grader's home) stays out of sight.
    """
    for _ in range(16):
        wanted: dict[str, set[str]] = {}
        for path in paths:
            block = _blocked(path)
            if block is None:
                continue
            if block == path or block == "/":
                notes.append(f"{path} is not readable by the task user; imports from it will fail")
                paths = [p for p in paths if p != path]
                continue
            wanted.setdefault(block, set()).add(os.path.relpath(path, block).split("/")[0])
        if not wanted:
            return
        for block, names in wanted.items():
            _replace(block, sorted(names))


def _cover(path: str) -> bool:
    """Hide `path` behind something empty and read-only, if it is still visible; whether it was."""
    if not os.path.lexists(path):
        return False  # under something covered already (say /tmp), or not there at all
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=4k,nr_inodes=16")
        else:
            _mount("/tmp/.nukedu-empty", path, None, MS_BIND)
    except OSError as exc:
        raise RuntimeError(f"cannot hide {path}: {exc}") from None
    return True


def _fresh_dev() -> None:
    """A /dev with only the harmless character devices: no disks, no terminals, no host sockets."""
    os.makedirs(STAGE, exist_ok=True)
    stage = tempfile.mkdtemp(dir=STAGE)
    _mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k,nr_inodes=64")
    for name in DEVICES:
        if os.path.exists(f"/dev/{name}"):
            open(os.path.join(stage, name), "w").close()
            _mount(f"/dev/{name}", os.path.join(stage, name), None, MS_BIND)
    os.mkdir(os.path.join(stage, "shm"), 0o755)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, os.path.join(stage, name))
    _mount(stage, "/dev", None, MS_MOVE)
    os.rmdir(stage)


def _mount_points() -> list[tuple[str, set[str]]]:
    out = []
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")  # octal escapes such as \040
            out.append((point, set(fields[5].split(","))))
    return out


def _all_read_only(covered: list[str], notes: list[str]) -> None:
    """Remount every visible mount read-only in this namespace (the host's mounts are not touched).

    Mounts below a path we covered (say the host's /dev/pts under our /dev) are
    out of reach; remounting them fails and does not matter.
    """
    failed = []
    for point, options in _mount_points():
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for name, bit in PER_MOUNT_FLAGS.items():
            if name in options:
                flags |= bit
        try:
            _mount(None, point, None, flags)
        except OSError as exc:
            if point == "/":
                raise RuntimeError(f"cannot make / read-only: {exc}") from None
            if not any(point.startswith(c.rstrip("/") + "/") for c in covered):
                failed.append(point)
    if failed:  # mostly mounts now shadowed by ours, which the task cannot reach anyway
        notes.append(f"could not remount read-only: {', '.join(sorted(set(failed)))}")


# --- the zygote ------------------------------------------------------------------------------------
class Zygote:
    """State kept between tasks; see the module docstring for the flow."""

    def __init__(self, config: dict) -> None:
        self.mode: str = config["mode"]
        self.limits: dict = config["limits"]
        self.bank_dir: str | None = config["bank_dir"]
        self.hide: list[str] = config["hide"]
        self.uid_base: int = config["uid_base"]
        self.uid_span: int = config["uid_span"]
        self.count = 0
        self.root = os.geteuid() == 0
        self.bank: dict[str, bytes] = {}
        self.bank_path: str | None = None
        self.scratch: str | None = None
        self.cap_last = 40
        self.notes: list[str] = []

    # setup --------------------------------------------------------------------------------------
    def prepare(self) -> None:
        for name in IGNORED_SIGNALS:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        os.umask(0o022)
        os.chdir("/")
        try:  # tasks inherit this: the OOM killer picks them before the grader or anyone else
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")
        except OSError:
            pass
        try:
            with open("/proc/sys/kernel/cap_last_cap") as f:
                self.cap_last = int(f.read())
        except (OSError, ValueError):
            pass
        self.bank = self._read_bank()
        self._preload()
        if self.mode == "limits-only":
            self.scratch = tempfile.mkdtemp(prefix="nukedu-sandbox-")
            os.chmod(self.scratch, 0o711)
            self.bank_path = os.path.join(self.scratch, "bank") if self.bank_dir else None
            _prctl(PR_SET_CHILD_SUBREAPER, 1)
        else:
            self._build_view()
            self.bank_path = BANK_COPY if self.bank_dir else None
        os.environ.update(NUKEDU_SOURCES="/nonexistent", NUKEDU_CACHE_DIR=NO_DISK_CACHE, NUKEDU_PROGRESS="off")
        if self.bank_path:
            if self.mode == "limits-only":
                self._write_bank(self.bank_path)
            os.environ["NUKEDU_BANK"] = self.bank_path
        self._warm()
        _prctl(PR_SET_DUMPABLE, 0)  # no task may ptrace or read the memory of the zygote
        gc.freeze()                  # children then do not copy every page the first time they collect

    def _read_bank(self) -> dict[str, bytes]:
        """The bank's YAML files, read before the bank folder is hidden."""
        if not self.bank_dir:
            return {}
        files, total = {}, 0
        for sub in ("", "questions"):
            folder = os.path.join(self.bank_dir, sub)
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                path = os.path.join(folder, name)
                if name.endswith((".yaml", ".yml")) and os.path.isfile(path):
                    with open(path, "rb") as f:
                        data = f.read(64 * MB + 1)
                    total += len(data)
                    if total > 64 * MB:
                        raise RuntimeError("the bank folder holds more than 64 MB of YAML")
                    files[os.path.join(sub, name)] = data
        return files

    def _write_bank(self, target: str) -> None:
        """A fresh copy in `target` (which may be a mount point, so it is emptied, not removed)."""
        if os.path.islink(target):  # limits-only: a task could leave a link to somewhere we must not empty
            os.remove(target)
        os.makedirs(target, 0o755, exist_ok=True)
        os.chmod(target, 0o755)
        for name in os.listdir(target):
            _force_remove(os.path.join(target, name))
        for rel, data in self.bank.items():
            path = os.path.join(target, rel)
            os.makedirs(os.path.dirname(path), 0o755, exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, 0o444)
        for folder in {os.path.dirname(os.path.join(target, rel)) for rel in self.bank} | {target}:
            os.chmod(folder, 0o555)

    def _preload(self) -> None:
        """Import what code tasks use, so each task costs a fork and not a Python start."""
        import importlib

        for name in (*PRELOAD, "nukedu", "nukedu.model", "nukedu.loader", "nukedu.scoring", "nukedu.assign.runtime"):
            importlib.import_module(name)
        try:
            import plotly.graph_objects as go
        except ImportError:
            return
        # plotly imports each trace type and property validator on first use: touch the common ones
        figure = go.Figure([go.Bar(x=["a"], y=[1], orientation="v"), go.Scatter(x=[1], y=[2], mode="lines+markers")])
        figure.update_layout(title="warm", xaxis_title="x", yaxis_title="y")
        for name in ("Pie", "Histogram", "Box", "Heatmap"):
            getattr(go, name)()

    def _warm(self) -> None:
        try:
            import nukedu

            nukedu.load_bank()
        except Exception as exc:  # the given code will say so too; the zygote still serves
            self.notes.append(f"the bank copy did not load: {type(exc).__name__}: {str(exc)[:300]}")

    def _build_view(self) -> None:
        """Namespaced modes: hide the course, empty /tmp and friends, copy the bank, make all read-only."""
        _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64m")
        with open("/tmp/.nukedu-empty", "w"):
            pass
        os.chmod("/tmp/.nukedu-empty", 0o444)
        if self.mode == "namespaces":
            paths = sorted({os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)})
            _reveal(paths, self.notes)
        covered = ["/tmp", "/dev"]
        for path in [*self.hide, *([self.bank_dir] if self.bank_dir else [])]:
            if _cover(path):
                covered.append(path)
        _fresh_dev()
        for path in sorted({os.path.realpath(p) for p in ("/var/tmp", "/run", "/var/run", "/var/lock")}):
            if os.path.isdir(path) and not any(path == c or path.startswith(c + "/") for c in covered):
                try:
                    _cover(path)
                    covered.append(path)
                except RuntimeError as exc:
                    self.notes.append(str(exc))
        if self.bank_dir:
            os.mkdir(BANK_COPY, 0o755)
            _mount("tmpfs", BANK_COPY, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=80m")
            self._write_bank(BANK_COPY)
        os.mkdir(TASK_DIR, 0o755)
        shutil.rmtree(STAGE, ignore_errors=True)
        _all_read_only(covered, self.notes)

    # one task ------------------------------------------------------------------------------------
    def _ids(self) -> tuple[int, int]:
        """A uid/gid no one else has for this task (namespaces); the grader's own otherwise."""
        self.count += 1
        if self.mode == "namespaces" or (self.mode == "limits-only" and self.root):
            uid = self.uid_base + self.count % self.uid_span
            return uid, uid
        return os.getuid(), os.getgid()

    def _task_dir(self, uid: int, gid: int) -> str:
        size = max(4 * self.limits["file_mb"], 16)
        if self.mode == "limits-only":
            path = tempfile.mkdtemp(prefix="task-", dir=self.scratch)  # a name no earlier task could plant
            if self.root:
                os.chown(path, uid, gid)
            if self.bank_path:  # the task ran as this user and could have changed the copy
                self._write_bank(self.bank_path)
            return path
        _mount("tmpfs", TASK_DIR, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
               f"mode=0700,uid={uid},gid={gid},size={size}m,nr_inodes=4096")
        return TASK_DIR

    def _drop_task_dir(self, path: str) -> None:
        if self.mode == "limits-only":
            _force_remove(path)
        else:
            _libc.umount2(path.encode(), MNT_DETACH)  # the whole tmpfs, and whatever was in it, is gone

    def run(self, request: dict) -> dict:
        given, code, results = request["given"], request["code"], request["results"]
        if not (isinstance(given, str) and isinstance(code, str) and isinstance(results, dict)):
            raise ValueError("malformed request")
        uid, gid = self._ids()
        task_dir = self._task_dir(uid, gid)
        out_r, out_w = os.pipe()
        res_r, res_w = os.pipe()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child never comes back into this loop
            try:
                _child(self, {"given": given, "code": code, "results": results}, task_dir, uid, gid, out_w, res_w)
            finally:
                os._exit(121)
        os.close(out_w)
        os.close(res_w)
        try:
            reply = self._collect(pid, out_r, res_r, start)
        finally:
            os.close(out_r)
            os.close(res_r)
            self._drop_task_dir(task_dir)
        return reply

    def _collect(self, pid: int, out_r: int, res_r: int, start: float) -> dict:
        """Wait for the child with the wall clock while draining both pipes, then clean up after it."""
        out, res = _Capped(self.limits["output_kb"] * 1024), _Capped(self.limits["result_kb"] * 1024)
        sinks = {out_r: out, res_r: res}
        try:
            pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pidfd = None
        poller = select.poll()
        for fd in (out_r, res_r, *([pidfd] if pidfd is not None else [])):
            poller.register(fd, select.POLLIN)
        deadline = start + self.limits["wall_seconds"]
        status, timed_out = None, False
        try:
            while status is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                wait = remaining if pidfd is not None else min(remaining, 0.005)
                for fd, _ in poller.poll(max(1, int(wait * 1000))):
                    if fd == pidfd:
                        status = os.waitpid(pid, 0)[1]
                    elif not sinks[fd].read(fd):
                        poller.unregister(fd)
                if pidfd is None and status is None:
                    done, st = os.waitpid(pid, os.WNOHANG)
                    status = st if done else None
        finally:
            if pidfd is not None:
                os.close(pidfd)
        seconds = time.monotonic() - start
        reaped = self._kill_all(pid)
        status = status if status is not None else reaped
        for fd, sink in sinks.items():  # every writer is dead now, so this ends
            os.set_blocking(fd, False)
            try:
                while sink.read(fd):
                    pass
            except BlockingIOError:
                pass
        code = None if timed_out or status is None else os.waitstatus_to_exitcode(status)
        return {
            "timed_out": timed_out, "exit": code if code is not None and code >= 0 else None,
            "signal": -code if code is not None and code < 0 else None, "seconds": seconds,
            "output": out.text(), "output_dropped": out.dropped,
            "result": res.text() if not res.dropped else "", "result_dropped": res.dropped,
        }

    def _kill_all(self, pid: int) -> int | None:
        """Kill every process the task started, daemons included, and reap them; the child's status if seen.

        The zygote is PID 1 of the namespace (or a child subreaper in limits-only
        mode), so every orphan becomes its child: once it has no child left,
        nothing the task started is left either.
        """
        status = None
        for _ in range(100_000):
            while True:
                try:
                    done, st = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    return status
                if done == 0:
                    break
                if done == pid:
                    status = st
            # from PID 1 of a namespace, -1 is every process but the zygote itself
            for target in _descendants(os.getpid()) if self.mode == "limits-only" else [-1]:
                try:
                    os.kill(target, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.0005)
        raise RuntimeError("could not stop the task's processes")

    def serve(self, inp: int, out: int) -> None:
        while True:
            try:
                request = read_frame(inp, MAX_REQUEST)
            except EOFError:
                return
            if not isinstance(request, dict):
                raise ValueError("malformed request")
            write_frame(out, self.run(request))

    def cleanup(self) -> None:
        if self.scratch:
            _force_remove(self.scratch)


class _Capped:
    """Bytes read from a pipe, keeping at most `cap` and counting the rest."""

    def __init__(self, cap: int) -> None:
        self.cap, self.data, self.dropped = cap, bytearray(), 0

    def read(self, fd: int) -> bool:
        chunk = os.read(fd, CHUNK)
        keep = max(0, min(len(chunk), self.cap - len(self.data)))
        self.data += chunk[:keep]
        self.dropped += len(chunk) - keep
        return bool(chunk)

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rpartition(b")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for kid in children.get(todo.pop(), []):
            out.append(kid)
            todo.append(kid)
    return out


def _force_remove(path: str) -> None:
    """rmtree that also gets through folders a task made unreadable (limits-only mode)."""
    def retry(func, target, _exc):  # type: ignore[no-untyped-def]
        try:
            os.chmod(os.path.dirname(target), 0o700)
            if os.path.isdir(target) and not os.path.islink(target):
                os.chmod(target, 0o700)
            func(target)
        except OSError:
            pass

    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=retry)
    elif os.path.lexists(path):
        os.remove(path)


# --- the child -------------------------------------------------------------------------------------
def _child(z: Zygote, request: dict, task_dir: str, uid: int, gid: int, out_w: int, res_w: int) -> None:
    """In the forked child: become an unprivileged, limited process, then run the code. Never returns."""
    res_fd = res_w
    try:
        os.setsid()
        _default_signals()
        _plumb(out_w, res_w)
        res_fd = 3
        os.chdir(task_dir)
        _clean_env(z, task_dir)
        _streams()
        _limits(z.limits)
        _drop_privileges(z, uid, gid)
    except BaseException as exc:
        _write_all(res_fd, json.dumps({"values": {}, "problems": {},
                                       "setup_error": f"{type(exc).__name__}: {exc}"}).encode())
        os._exit(121)
    _execute(request, z.limits)


def _default_signals() -> None:
    signal.set_wakeup_fd(-1)
    for sig in signal.valid_signals():
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError, RuntimeError):
                pass
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)   # as in any Python: a closed pipe raises BrokenPipeError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # too big a file raises OSError (EFBIG) the student can read
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def _plumb(out_w: int, res_w: int) -> None:
    """stdin from /dev/null, stdout+stderr to the capture pipe, results on fd 3, every other fd closed."""
    null = os.open(os.devnull, os.O_RDONLY)
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (null, out_w, out_w, res_w)]
    for target, fd in enumerate(high):
        os.dup2(fd, target)
    os.set_inheritable(3, False)
    os.closerange(4, max(resource.getrlimit(resource.RLIMIT_NOFILE)[1], 1 << 16))


def _clean_env(z: Zygote, task_dir: str) -> None:
    env = {"HOME": task_dir, "TMPDIR": task_dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "NUKEDU_SOURCES": "/nonexistent", "NUKEDU_CACHE_DIR": NO_DISK_CACHE, "NUKEDU_PROGRESS": "off",
           "MPLCONFIGDIR": os.path.join(task_dir, ".matplotlib")}
    if z.bank_path:
        env["NUKEDU_BANK"] = z.bank_path
    os.environ.clear()
    os.environ.update(env)
    sys.dont_write_bytecode = True
    sys.argv = [YOURS]


def _streams() -> None:
    sys.stdin = sys.__stdin__ = open(0, "r", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False)


def _limits(limits: dict) -> None:
    with open("/proc/self/statm") as f:
        size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cpu = limits["cpu_seconds"]
    for which, soft, hard in (
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, size + limits["memory_mb"] * MB, size + limits["memory_mb"] * MB),
        (resource.RLIMIT_FSIZE, limits["file_mb"] * MB, limits["file_mb"] * MB),
        (resource.RLIMIT_NPROC, limits["processes"], limits["processes"]),
        (resource.RLIMIT_NOFILE, 256, 256),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_MEMLOCK, 0, 0),
        (resource.RLIMIT_MSGQUEUE, 0, 0),
    ):
        resource.setrlimit(which, (soft, hard))
    os.nice(5)


def _drop_privileges(z: Zygote, uid: int, gid: int) -> None:
    if os.geteuid() == 0:
        for cap in range(z.cap_last + 1):  # nothing can be gained back later, even through a setuid binary
            _prctl(PR_CAPBSET_DROP, cap)
    if z.mode == "namespaces" or (z.mode == "limits-only" and z.root):
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
        if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid):
            raise RuntimeError("the uid switch did not take")
        try:
            os.setuid(0)
        except PermissionError:
            pass
        else:
            raise RuntimeError("the task could become root again")
    elif z.mode == "user-namespace":  # stay the namespace's root but without any capability
        _libc.prctl(PR_SET_SECUREBITS, SECURE_ALL, 0, 0, 0)
        _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)

        class Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

        _check(_libc.capset(ctypes.byref(Header(CAP_VERSION_3, 0)), ctypes.byref((ctypes.c_uint32 * 6)())), "capset")
        with open("/proc/self/status") as f:
            if "CapEff:\t0000000000000000" not in f.read():
                raise RuntimeError("capabilities are still effective")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_DUMPABLE, 1)               # its own /proc entries, for the task's own use
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # never outlive the zygote


def _where(exc: BaseException) -> str:
    """' (line N of your code)' for the last line of the student's (or the given) code in the traceback."""
    if isinstance(exc, SyntaxError) and exc.filename in (YOURS, GIVEN):
        return f" (line {exc.lineno} of {'your code' if exc.filename == YOURS else 'the given code'})"
    found = ""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name == YOURS:
            found = f" (line {tb.tb_lineno} of your code)"
        elif name == GIVEN and not found:
            found = f" (line {tb.tb_lineno} of the given code)"
        tb = tb.tb_next
    return found


def _describe(exc: BaseException, memory_mb: int = 0) -> str:
    if isinstance(exc, SystemExit):
        return f"the code called exit({_safe_str(exc.code)}){_where(exc)}"
    if isinstance(exc, MemoryError):
        return f"MemoryError: out of memory (the limit is {memory_mb} MB){_where(exc)}"
    if isinstance(exc, SyntaxError):
        return f"{type(exc).__name__}: {exc.msg}{_where(exc)}"
    text = _safe_str(exc)
    return f"{type(exc).__name__}{': ' + text if text else ''}{_where(exc)}"


def _safe_str(value: object, limit: int = 500) -> str:
    try:
        text = str(value) if not isinstance(value, str) else value
    except BaseException:  # a student's __str__ may raise anything
        text = "<unprintable>"
    text = str.__str__(text) if isinstance(text, str) else "<unprintable>"
    return text if len(text) <= limit else text[:limit] + "..."


def _execute(request: dict, limits: dict) -> None:
    """Run the given code then the student's in one fresh __main__, summarise the results, write them, exit."""
    import builtins
    import linecache
    import traceback
    import types

    from nukedu.assign.runtime import AnswerFormatError, summarise

    me, out, err, dumps = os.getpid(), sys.stdout, sys.stderr, json.dumps
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    ns = module.__dict__
    for name, text in ((GIVEN, request["given"]), (YOURS, request["code"])):  # tracebacks quote the lines
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    error = ""
    reserve = mmap.mmap(-1, RESERVE)  # counts against RLIMIT_AS but, never touched, costs no memory or time
    try:
        parts = [(compile(request["given"], GIVEN, "exec"), "given"), (compile(request["code"], YOURS, "exec"), "code")]
        for code, _ in parts:
            exec(code, ns)
    except BaseException as exc:
        if os.getpid() != me:  # a copy the student forked: it must not report
            os._exit(0)
        reserve.close()
        error = _describe(exc, limits["memory_mb"])
        if isinstance(exc, SyntaxError) and exc.filename == YOURS:
            print(f"{type(exc).__name__}: {exc.msg} (line {exc.lineno} of your code)", file=err)
        elif not isinstance(exc, SystemExit):
            try:
                traceback.print_exception(exc, file=err)
            except BaseException:
                pass
    if os.getpid() != me:
        os._exit(0)
    reserve.close()
    for stream in (out, err):
        try:
            stream.flush()
        except BaseException:
            pass
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for name, kind in request["results"].items():
        try:
            if name not in ns:
                problems[name] = f"{name} is not defined" + (" (your code stopped before it was set)" if error else "")
                continue
            if ns[name] is Ellipsis:
                problems[name] = f"{name} has no value yet (it is still ...)"
                continue
            value = summarise(ns[name], kind)
            sizes[name] = len(dumps(value, ensure_ascii=True))
            values[name] = value
        except AnswerFormatError as exc:
            problems[name] = _safe_str(exc, 300)
        except BaseException as exc:
            problems[name] = f"could not read {name}: {_describe(exc, limits['memory_mb'])}"[:400]
        if os.getpid() != me:
            os._exit(0)
    budget = limits["result_kb"] * 1024 - 16 * 1024  # room for the problems and the error
    for name in sorted(sizes, key=sizes.get, reverse=True):
        if sum(sizes.values()) <= budget:
            break
        del values[name], sizes[name]
        problems[name] = f"{name} is too large to check (the results may take {limits['result_kb']} KB)"
    message = dumps({"values": values, "problems": problems, "error": error[:1000]}, ensure_ascii=True)
    try:
        _write_all(3, message.encode())
    except OSError:
        pass
    os._exit(0)


# --- entry point -----------------------------------------------------------------------------------
def main() -> None:
    """Keep the protocol pipes away from fds 0-2, read the config, prepare, say ready, serve."""
    inp, out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)  # a stray print (say from an import) lands in the log, never in the protocol
    zygote = None
    try:
        config = read_frame(inp, MAX_CONFIG)
        zygote = Zygote(config)  # type: ignore[arg-type]
        zygote.prepare()
    except Exception as exc:
        write_frame(out, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        if zygote is not None:
            zygote.cleanup()
        return
    import threading

    if threading.active_count() != 1:  # forking a threaded process is unsafe
        zygote.notes.append(f"{threading.active_count()} threads at start")
    write_frame(out, {"ready": True, "isolation": zygote.mode, "notes": zygote.notes, "scratch": zygote.scratch})
    try:
        zygote.serve(inp, out)
    finally:
        zygote.cleanup()


if __name__ == "__main__":
    main()
