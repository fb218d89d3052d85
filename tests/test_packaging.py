"""The wheel ships the bank, and `make lab` serves the course."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


def test_wheel_installed_outside_the_repo_loads_the_shipped_bank(tmp_path: Path):
    from nukedu import load_bank

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, text=True, timeout=300)
    wheel = next(dist.glob("nukedu-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(pip + ["PyYAML"], check=True, timeout=300)
    subprocess.run(pip + ["--no-deps", str(wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import json, nukedu; from nukedu.loader import default_bank_path; b = nukedu.load_bank();"
            "print(json.dumps([len(b.questions), len(b.events), len(b.terms), str(default_bank_path())]))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    questions, events, terms, path = json.loads(out.stdout)
    shipped = load_bank(REPO / "question_bank")
    assert (questions, events, terms) == (len(shipped.questions), len(shipped.events), len(shipped.terms))
    assert path.startswith(str(venv)) and path.endswith("nukedu/question_bank")
    cli = subprocess.run([str(venv / "bin" / "nukedu"), "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert cli.returncode == 0 and cli.stdout.startswith("OK: ")


def test_make_lab_starts_jupyterlab_on_the_course(tmp_path: Path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTERLAB_SETTINGS_DIR"):
        env[name] = str(tmp_path / name.lower())
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=2) as r:
                    listing = json.load(r)
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail("make lab did not start a server")
                time.sleep(0.5)
        names = {item["name"] for item in listing["content"]}
        expected = {p.name for p in (REPO / "course").iterdir() if not p.name.startswith(".")}
        assert names == expected  # the server's root is course/
    finally:
        try:
            os.killpg(proc.pid, 15)
        except ProcessLookupError:  # make and the server have already exited
            pass
        proc.wait(30)
