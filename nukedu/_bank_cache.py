"""A content-keyed cache of validated banks: a dict in this process, and one pickle per key on disk.

The loader builds the key (`Key`) from everything that decides a load's result, so a
key names one bank forever and nothing is ever invalidated in place: changed input,
new key. Pickles run code when loaded, so a cache file is read only when this user
owns it and nobody else can write it or its folder; anything odd is a miss, and a
folder that cannot be used means no disk cache, never an error.

`NUKEDU_NO_CACHE=1` (any value but empty, 0, false or no) turns both levels off. The folder is `$NUKEDU_CACHE_DIR`, else
`$XDG_CACHE_HOME/nukedu`, else `~/.cache/nukedu`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import stat
import sys
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

FORMAT = b"nukedu-bank-cache-1"  # bump when the file layout or the key's recipe changes
CODE_FILES = ("loader.py", "_reader.py", "model.py", "sources.py", "_bank_cache.py")
MEMORY_SLOTS = 8   # banks kept in this process
DISK_FILES = 32    # pickles kept on disk; the least recently written go first
SUFFIX = ".pickle"

_memory: OrderedDict[str, object] = OrderedDict()
_memory_lock = threading.Lock()
# os.replace takes the same dir_fd arguments as os.rename, which is the one supports_dir_fd lists.
_POSIX = hasattr(os, "getuid") and {os.open, os.rename, os.unlink} <= os.supports_dir_fd and os.scandir in os.supports_fd


def enabled() -> bool:
    return os.environ.get("NUKEDU_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def new_key() -> Key | None:
    """A key seeded with the format, nukedu's version, the loader's code and Python's tag; None if caching is off."""
    if not enabled():
        return None
    code = _code_digest()
    if code is None:
        return None
    key = Key()
    key.add("format", FORMAT)
    key.add("nukedu", _nukedu_version().encode())
    key.add("code", code)
    key.add("python", (sys.implementation.cache_tag or sys.version).encode())
    return key


class Key:
    """A sha256 over labelled parts; each part is length-prefixed, so no two recipes collide."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, label: str, data: bytes) -> None:
        name = label.encode("utf-8", "surrogateescape")
        self._h.update(b"%d:%s%d:" % (len(name), name, len(data)))
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def _nukedu_version() -> str:
    """nukedu's version, as `nukedu.__version__` gives it once known in this process."""
    package = sys.modules.get(__package__ or "nukedu")
    known = getattr(package, "__dict__", {}).get("__version__")
    return str(known) if known else _installed_version()


@lru_cache(maxsize=1)
def _installed_version() -> str:
    """The version in the name of the dist-info importlib.metadata would find first, without
    importing importlib.metadata (about 30 ms, more than a cache hit); that import only as a fallback."""
    prefix, suffix = "nukedu-", ".dist-info"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith(prefix) and name.endswith(suffix):
                return name[len(prefix):-len(suffix)]
    import nukedu

    return nukedu.__version__


@lru_cache(maxsize=1)
def _code_digest() -> bytes | None:
    """The loader's own source, so an edited loader never meets a bank it did not validate.

    Read once per process (a running process keeps its code); None, and so no cache,
    when the sources are not there to hash (an install of bytecode only).
    """
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in CODE_FILES:
        try:
            data = (here / name).read_bytes()
        except OSError:
            return None
        h.update(b"%d:%s%d:" % (len(name), name.encode(), len(data)))
        h.update(data)
    return h.digest()


def cache_dir() -> Path | None:
    env = os.environ.get("NUKEDU_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "nukedu"
    try:
        home = Path.home()
    except RuntimeError:  # no home directory to be found
        return None
    # A missing home (HOME=/nonexistent in a sandbox) is not ours to create.
    return home / ".cache" / "nukedu" if home.is_dir() else None


def _private(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_dir(create: bool) -> int | None:
    """A descriptor of the cache folder if it is ours alone; None when there is no usable folder."""
    if not _POSIX:
        return None  # ownership cannot be checked (Windows): no disk cache
    path = cache_dir()
    if path is None:
        return None
    try:
        if create:
            os.makedirs(path, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        if _private(os.fstat(fd)):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read(key: str) -> object | None:
    dir_fd = _open_dir(create=False)
    if dir_fd is None:
        return None
    try:
        fd = os.open(key + SUFFIX, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    finally:
        os.close(dir_fd)
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st):
                return None  # someone else could have written it: never unpickle
            data = f.read()
    except OSError:
        return None
    try:
        stored = pickle.loads(data)
    except Exception:  # truncated, corrupt, or from classes that no longer exist
        return None
    if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (FORMAT, key):
        return stored[2]
    return None


def _write(key: str, value: object) -> None:
    dir_fd = _open_dir(create=True)
    if dir_fd is None:
        return
    tmp = f".{key}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        data = _dumps((FORMAT, key, value))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dir_fd)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, key + SUFFIX, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=dir_fd)
            except OSError:
                pass
            raise
        _prune(dir_fd)
    except Exception:  # a full disk, a read-only folder, an unpicklable value: no disk cache this time
        pass
    finally:
        os.close(dir_fd)


class _Pickler(pickle.Pickler):
    """Slotted dataclasses as (class, field values): unpickling skips their __setstate__, which looks
    up the fields again for every object (about 1.5x faster for a bank)."""

    def reducer_override(self, obj: object) -> object:
        cls = type(obj)
        names = _FIELDS.get(cls)
        if names is None:
            if not (dataclasses.is_dataclass(cls) and hasattr(cls, "__slots__")):
                return NotImplemented
            names = _field_names(cls)
        return _rebuild, (cls, tuple(getattr(obj, n) for n in names))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _rebuild(cls: type, values: tuple) -> object:
    """What a frozen dataclass's __setstate__ does, without looking its fields up for every object."""
    obj = object.__new__(cls)
    for name, value in zip(_field_names(cls), values):
        object.__setattr__(obj, name, value)
    return obj


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _prune(dir_fd: int) -> None:
    """Keep the newest DISK_FILES pickles; each edit of a bank leaves its old one behind."""
    entries = []
    with os.scandir(dir_fd) as it:
        for entry in it:
            if entry.name.endswith(SUFFIX) and entry.is_file(follow_symlinks=False):
                entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
    for _, name in sorted(entries)[:-DISK_FILES]:
        try:
            os.unlink(name, dir_fd=dir_fd)
        except OSError:
            pass


def get(key: str, kind: type) -> object | None:
    """The cached value for `key` if it is an instance of `kind`: from memory, else from disk."""
    if not enabled():
        return None
    with _memory_lock:
        value = _memory.get(key)
        if value is not None:
            _memory.move_to_end(key)
            return value
    value = _read(key)
    if not isinstance(value, kind):
        return None
    _remember(key, value)
    return value


def put(key: str, value: object) -> None:
    if enabled():
        _remember(key, value)
        _write(key, value)


def _remember(key: str, value: object) -> None:
    with _memory_lock:
        _memory[key] = value
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_SLOTS:
            _memory.popitem(last=False)


def clear_memory() -> None:
    """Forget the in-process level (tests use it to act as a new process would)."""
    with _memory_lock:
        _memory.clear()
