"""The cache of validated banks: served when nothing changed, refused when anything did, never a risk.

Each test has its own cache folder. "Parsed" is counted at the YAML composer, the one
step every real load goes through and a cache hit never does.
"""
from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

import nukedu
from nukedu import BankError, _bank_cache, _reader, load_bank
from nukedu.sources import DOCS, find_sources_dir

from .conftest import MINI_BANK, REPO

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "cache"
    monkeypatch.setenv("NUKEDU_CACHE_DIR", str(path))
    monkeypatch.delenv("NUKEDU_NO_CACHE", raising=False)
    _bank_cache.clear_memory()
    yield path
    _bank_cache.clear_memory()


@pytest.fixture()
def parses(monkeypatch) -> list[str]:
    """The files the YAML composer is asked to parse, in order."""
    seen: list[str] = []
    real = _reader.compose

    def counting(text, file, issues):
        seen.append(file)
        return real(text, file, issues)

    monkeypatch.setattr(_reader, "compose", counting)
    return seen


def pickles(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle")) if directory.is_dir() else []


def as_new_process(path: Path):
    """A load that, like a new process, finds nothing in memory."""
    _bank_cache.clear_memory()
    return load_bank(path)


def spans(bank) -> list:
    return [x.span for x in (*bank.questions, *bank.eras, *bank.events, *bank.terms)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def evil_pickle(marker: Path) -> bytes:
    """A pickle that creates `marker` the moment anything unpickles it."""

    class Evil:
        def __reduce__(self):
            return (Path.touch, (marker,))

    return pickle.dumps(Evil())


# --- served from the cache --------------------------------------------------
def test_first_load_writes_one_private_pickle_atomically(cache_dir: Path, mini_bank_dir: Path):
    assert not cache_dir.exists()
    load_bank(mini_bank_dir)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    files = list(cache_dir.iterdir())
    assert [f.suffix for f in files] == [".pickle"], files  # no temp file left behind
    assert len(files[0].stem) == 64
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600


def test_second_load_in_the_same_process_does_not_parse(cache_dir: Path, mini_bank_dir: Path, parses: list[str]):
    first = load_bank(mini_bank_dir)
    assert len(parses) == 3  # sample.yaml, timeline.yaml, glossary.yaml
    assert load_bank(mini_bank_dir) is first
    second = as_new_process(mini_bank_dir)  # from disk this time
    assert len(parses) == 3
    assert second == first and second is not first and spans(second) == spans(first)


NEW_PROCESS = textwrap.dedent("""
    import pickle, sys
    import yaml
    from nukedu import _reader, load_bank

    def refuse(*args, **kwargs):
        raise AssertionError("the YAML parser was called")

    yaml.compose = yaml.compose_all = yaml.load = yaml.safe_load = _reader.compose = refuse
    bank = load_bank(sys.argv[1])
    with open(sys.argv[2], "wb") as out:
        pickle.dump(bank, out)
""")


def run_new_process(bank_dir: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NEW_PROCESS, str(bank_dir), str(out)], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def test_a_new_process_loads_from_disk_without_parsing(cache_dir: Path, mini_bank_dir: Path, tmp_path: Path):
    out = tmp_path / "bank.pickle"
    # The check works: with the cache off, the same script fails at the parser.
    refused = run_new_process(mini_bank_dir, out, {"NUKEDU_NO_CACHE": "1"})
    assert refused.returncode != 0 and "the YAML parser was called" in refused.stderr
    assert not out.exists()

    bank = load_bank(mini_bank_dir)
    done = run_new_process(mini_bank_dir, out, {"NUKEDU_CACHE_DIR": str(cache_dir)})
    assert done.returncode == 0, done.stderr
    served = pickle.loads(out.read_bytes())
    assert served == bank and spans(served) == spans(bank)
    assert len(served.questions) == 8 and served.term("pfp").expansion == "Partnership for Peace"


def test_same_content_in_two_folders_keeps_each_folder_in_its_places(cache_dir: Path, tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(MINI_BANK, a)
    shutil.copytree(MINI_BANK, b)
    bank_a, bank_b = load_bank(a), as_new_process(b)
    assert bank_a == bank_b
    assert bank_a.questions[0].span.file == str(a / "questions" / "sample.yaml")
    assert bank_b.questions[0].span.file == str(b / "questions" / "sample.yaml")
    assert len(pickles(cache_dir)) == 2


# --- invalidated by any change ----------------------------------------------
@pytest.mark.parametrize(
    "file,old,new,read",
    [
        ("questions/sample.yaml", "prompt: When did Ukraine join the North Atlantic Cooperation Council?",
         "prompt: In which month did Ukraine join the NACC?", lambda b: b.question("sample-single").prompt),
        ("timeline.yaml", "title: First ex-Soviet republic in PfP", "title: The first ex-Soviet republic in PfP",
         lambda b: b.event("ev-1994-pfp").title),
        ("glossary.yaml", "expansion: Partnership for Peace", "expansion: Partnership for Peace programme",
         lambda b: b.term("pfp").expansion),
    ],
)
def test_editing_a_bank_file_invalidates(cache_dir: Path, mini_bank_dir: Path, parses: list[str], file, old, new, read):
    before = read(load_bank(mini_bank_dir))
    edit(mini_bank_dir / file, old, new)
    after = read(load_bank(mini_bank_dir))
    assert after == new.split(": ", 1)[1] != before
    assert read(as_new_process(mini_bank_dir)) == after
    assert len(pickles(cache_dir)) == 2
    # Content, not time, is the key: the old text brings back the old bank without parsing.
    edit(mini_bank_dir / file, new, old)
    parsed = len(parses)
    assert read(as_new_process(mini_bank_dir)) == before
    assert len(parses) == parsed


def test_a_new_question_file_invalidates(cache_dir: Path, mini_bank_dir: Path):
    assert len(load_bank(mini_bank_dir).questions) == 8
    sample = (mini_bank_dir / "questions" / "sample.yaml").read_text(encoding="utf-8")
    other = sample.replace("topic: sample", "topic: other").replace("id: sample-", "id: other-")
    (mini_bank_dir / "questions" / "other.yml").write_text(other, encoding="utf-8")
    assert len(load_bank(mini_bank_dir).questions) == 16


@pytest.fixture()
def sources_copy(tmp_path: Path, monkeypatch) -> Path:
    found = find_sources_dir(REPO)
    if found is None:
        pytest.skip("source texts not found: put them in ../shared/sources or set NUKEDU_SOURCES")
    copy = tmp_path / "sources"
    shutil.copytree(found, copy)
    monkeypatch.setenv("NUKEDU_SOURCES", str(copy))
    return copy


def test_changing_a_source_text_invalidates(cache_dir: Path, mini_bank_dir: Path, sources_copy: Path, parses: list[str]):
    text = sources_copy / DOCS["partnership-2024"].filename
    original = load_bank(mini_bank_dir)
    # A line no item cites: the bank is the same, but it is validated again.
    lines = text.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = "A retitled article\n"
    text.write_text("".join(lines), encoding="utf-8")
    parsed = len(parses)
    assert as_new_process(mini_bank_dir) == original
    assert len(parses) > parsed and len(pickles(cache_dir)) == 2
    # A cited line: the cached valid bank must not hide the broken evidence.
    lines[4] = lines[4].replace("In December 1991", "In January 1992")
    text.write_text("".join(lines), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BankError) as err:
            load_bank(mini_bank_dir)
        assert "line 5 of partnership-2024 does not contain 'In December 1991'" in str(err.value)
    assert len(pickles(cache_dir)) == 2


def test_sources_found_or_not_are_different_keys(cache_dir: Path, mini_bank_dir: Path, sources_copy: Path, tmp_path: Path, monkeypatch, parses):
    load_bank(mini_bank_dir)
    monkeypatch.setenv("NUKEDU_SOURCES", str(tmp_path / "nowhere"))
    parsed = len(parses)
    load_bank(mini_bank_dir)
    assert len(parses) > parsed and len(pickles(cache_dir)) == 2


def test_another_nukedu_version_invalidates(cache_dir: Path, mini_bank_dir: Path, parses: list[str]):
    real = nukedu.__version__
    bank = load_bank(mini_bank_dir)
    try:
        nukedu.__version__ = "99.0.0"
        parsed = len(parses)
        assert as_new_process(mini_bank_dir) == bank
        assert len(parses) > parsed and len(pickles(cache_dir)) == 2
    finally:
        nukedu.__version__ = real
    parsed = len(parses)
    as_new_process(mini_bank_dir)  # the real version's entry serves again
    assert len(parses) == parsed


def test_editing_the_loader_code_invalidates(cache_dir: Path, mini_bank_dir: Path, tmp_path: Path):
    """A copy of the package, run in new processes; one comment added to its loader.py."""
    package = tmp_path / "pkg"
    shutil.copytree(REPO / "nukedu", package / "nukedu", ignore=shutil.ignore_patterns("__pycache__"))
    code = "import sys, nukedu; assert nukedu.__file__.startswith(sys.argv[2]); nukedu.load_bank(sys.argv[1])"

    def run() -> None:
        env = {**os.environ, "PYTHONPATH": str(package), "NUKEDU_CACHE_DIR": str(cache_dir)}
        subprocess.run([sys.executable, "-c", code, str(mini_bank_dir), str(package)], cwd=tmp_path, env=env,
                       check=True, timeout=120)

    run()
    run()
    assert len(pickles(cache_dir)) == 1
    with open(package / "nukedu" / "loader.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit during development\n")
    run()
    assert len(pickles(cache_dir)) == 2


# --- never a risk ------------------------------------------------------------
@pytest.mark.parametrize("junk", [b"", b"not a pickle at all", "half"])
def test_a_corrupt_cache_file_is_ignored_and_replaced(cache_dir: Path, mini_bank_dir: Path, parses: list[str], junk):
    bank = load_bank(mini_bank_dir)
    (entry,) = pickles(cache_dir)
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2] if junk == "half" else junk)
    parsed = len(parses)
    assert as_new_process(mini_bank_dir) == bank
    assert len(parses) > parsed
    assert entry.read_bytes() == good  # replaced by a sound one
    parsed = len(parses)
    assert as_new_process(mini_bank_dir) == bank and len(parses) == parsed


def test_a_pickle_of_something_else_is_not_served(cache_dir: Path, mini_bank_dir: Path):
    bank = load_bank(mini_bank_dir)
    (entry,) = pickles(cache_dir)
    for other in ("a string", (_bank_cache.FORMAT, "another key", bank), (_bank_cache.FORMAT, entry.stem, "not a bank")):
        entry.write_bytes(pickle.dumps(other))
        assert as_new_process(mini_bank_dir) == bank


def _group_writable(entry: Path, cache: Path) -> None:
    entry.chmod(0o620)


def _world_writable(entry: Path, cache: Path) -> None:
    entry.chmod(0o602)


def _other_owner(entry: Path, cache: Path) -> None:
    os.chown(entry, 65534, 65534)


def _symlink(entry: Path, cache: Path) -> None:
    target = cache.parent / "elsewhere.pickle"
    entry.rename(target)
    entry.symlink_to(target)


def _fifo(entry: Path, cache: Path) -> None:
    entry.unlink()
    os.mkfifo(entry, 0o600)


def _open_folder(entry: Path, cache: Path) -> None:
    cache.chmod(0o770)


def _folder_of_another(entry: Path, cache: Path) -> None:
    os.chown(cache, 65534, 65534)


UNSAFE = [
    pytest.param(_group_writable, id="group-writable file"),
    pytest.param(_world_writable, id="world-writable file"),
    pytest.param(_other_owner, id="file of another uid", marks=pytest.mark.skipif(not ROOT, reason="chown needs root")),
    pytest.param(_symlink, id="symlink"),
    pytest.param(_open_folder, id="group-writable folder"),
    pytest.param(_folder_of_another, id="folder of another uid", marks=pytest.mark.skipif(not ROOT, reason="chown needs root")),
]


def test_the_marker_shows_when_a_pickle_is_loaded(cache_dir: Path, mini_bank_dir: Path, tmp_path: Path):
    """The control for the next test: a private file of ours is unpickled, and the marker appears."""
    load_bank(mini_bank_dir)
    (entry,) = pickles(cache_dir)
    marker = tmp_path / "unpickled"
    entry.write_bytes(evil_pickle(marker))
    as_new_process(mini_bank_dir)
    assert marker.exists()


@pytest.mark.parametrize("make_unsafe", UNSAFE)
def test_a_cache_file_others_could_write_is_never_unpickled(cache_dir: Path, mini_bank_dir: Path, tmp_path: Path, make_unsafe, parses):
    bank = load_bank(mini_bank_dir)
    (entry,) = pickles(cache_dir)
    marker = tmp_path / "unpickled"
    entry.write_bytes(evil_pickle(marker))
    make_unsafe(entry, cache_dir)
    parsed = len(parses)
    assert as_new_process(mini_bank_dir) == bank
    assert not marker.exists()
    assert len(parses) == parsed + 3  # not served: parsed again
    if make_unsafe in (_group_writable, _world_writable, _other_owner, _symlink):
        # The folder is still ours alone, so the entry was replaced by a private, sound file that now serves.
        st = entry.lstat()
        assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.getuid()
        assert as_new_process(mini_bank_dir) == bank and len(parses) == parsed + 3
    else:  # a folder others could write is neither read nor written
        assert as_new_process(mini_bank_dir) == bank and len(parses) == parsed + 6
        assert entry.read_bytes() == evil_pickle(marker)
    assert not marker.exists()


def test_a_fifo_in_place_of_a_cache_file_does_not_hang(cache_dir: Path, mini_bank_dir: Path):
    bank = load_bank(mini_bank_dir)
    (entry,) = pickles(cache_dir)
    _fifo(entry, cache_dir)
    assert as_new_process(mini_bank_dir) == bank


def test_a_cache_folder_that_cannot_be_made_means_no_disk_cache(tmp_path: Path, mini_bank_dir: Path, monkeypatch, parses):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("NUKEDU_CACHE_DIR", str(blocker / "cache"))
    _bank_cache.clear_memory()
    bank = load_bank(mini_bank_dir)
    assert load_bank(mini_bank_dir) is bank and len(parses) == 3  # memory still serves
    assert as_new_process(mini_bank_dir) == bank and len(parses) == 6
    _bank_cache.clear_memory()


def test_the_default_folders(tmp_path: Path, mini_bank_dir: Path, monkeypatch):
    monkeypatch.delenv("NUKEDU_CACHE_DIR")
    monkeypatch.delenv("NUKEDU_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _bank_cache.cache_dir() == tmp_path / "xdg" / "nukedu"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _bank_cache.cache_dir() is None  # a missing home is not created
    _bank_cache.clear_memory()
    assert as_new_process(mini_bank_dir) == load_bank(MINI_BANK)
    assert not (tmp_path / "home").exists()
    (tmp_path / "home").mkdir()
    as_new_process(mini_bank_dir)
    assert len(pickles(tmp_path / "home" / ".cache" / "nukedu")) == 1
    _bank_cache.clear_memory()


@pytest.mark.skipif(ROOT, reason="root writes to a read-only folder anyway")
def test_a_read_only_cache_folder_means_no_disk_cache(cache_dir: Path, mini_bank_dir: Path):
    cache_dir.mkdir(mode=0o500)
    try:
        bank = load_bank(mini_bank_dir)
        assert as_new_process(mini_bank_dir) == bank
        assert pickles(cache_dir) == []
    finally:
        cache_dir.chmod(0o700)


def test_no_cache_writes_nothing_and_keeps_nothing(cache_dir: Path, mini_bank_dir: Path, monkeypatch, parses):
    monkeypatch.setenv("NUKEDU_NO_CACHE", "1")
    first = load_bank(mini_bank_dir)
    second = load_bank(mini_bank_dir)
    assert first == second and first is not second
    assert len(parses) == 6
    assert not cache_dir.exists()


def test_an_invalid_bank_is_refused_every_time_and_never_cached(cache_dir: Path, mini_bank_dir: Path, parses):
    edit(mini_bank_dir / "questions" / "sample.yaml", "    difficulty: 1\n", "    difficulty: 9\n")
    edit(mini_bank_dir / "timeline.yaml", "    year: 1994\n", "    year: 1999\n")
    messages = []
    for _ in range(3):
        with pytest.raises(BankError) as err:
            load_bank(mini_bank_dir)
        messages.append([str(i) for i in err.value.issues])
    assert messages[0] == messages[1] == messages[2] and len(messages[0]) == 2
    assert len(parses) == 9
    assert pickles(cache_dir) == []


def test_a_bank_made_invalid_after_caching_is_refused(cache_dir: Path, mini_bank_dir: Path):
    load_bank(mini_bank_dir)
    edit(mini_bank_dir / "glossary.yaml", "kind: place", "kind: city")
    with pytest.raises(BankError, match="unknown kind 'city'"):
        load_bank(mini_bank_dir)


def test_old_pickles_are_pruned(cache_dir: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(_bank_cache, "DISK_FILES", 2)
    for name in "abc":
        shutil.copytree(MINI_BANK, tmp_path / name)
        load_bank(tmp_path / name)
    assert len(pickles(cache_dir)) == 2


def test_a_timeline_only_bank_is_cached_too(cache_dir: Path, tmp_path: Path, parses):
    (tmp_path / "grader").mkdir()
    shutil.copy(MINI_BANK / "timeline.yaml", tmp_path / "grader" / "timeline.yaml")
    bank = load_bank(tmp_path / "grader")
    assert as_new_process(tmp_path / "grader") == bank and len(parses) == 1
    assert bank.questions == () and len(bank.events) == 3
