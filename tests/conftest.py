"""Shared fixtures: the repository paths, the small test bank, and the source texts."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The bank cache goes to a folder of this session's own, never to ~/.cache (subprocesses inherit it).
os.environ["NUKEDU_CACHE_DIR"] = _CACHE_DIR = tempfile.mkdtemp(prefix="nukedu-test-cache-")
atexit.register(shutil.rmtree, _CACHE_DIR, True)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _own_progress_store(tmp_path_factory, monkeypatch):
    """Each test records answers to a progress file of its own, never to the learner's real one."""
    monkeypatch.setenv("NUKEDU_PROGRESS", str(tmp_path_factory.mktemp("progress") / "progress.sqlite"))
    yield
    from nukedu.learner import recorder

    recorder.close_all()
MINI_BANK = REPO / "tests" / "data" / "mini_bank"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture()
def mini_bank_dir(tmp_path: Path) -> Path:
    """A writable copy of the small valid bank."""
    target = tmp_path / "bank"
    shutil.copytree(MINI_BANK, target)
    return target


@pytest.fixture(scope="session")
def mini_bank():
    from nukedu import load_bank

    return load_bank(MINI_BANK)


@pytest.fixture(scope="session")
def sources_available() -> bool:
    from nukedu.sources import find_sources_dir

    return find_sources_dir(REPO) is not None


@pytest.fixture()
def require_sources(sources_available: bool) -> None:
    if not sources_available:
        pytest.skip("source texts not found: put them in ../shared/sources or set NUKEDU_SOURCES")


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
