"""Set up and start the local classroom hub: `make classroom` (as root, on 127.0.0.1).

As root it creates the Unix accounts (an instructor and students, each with a
home folder of their own, mode 700), nbgrader's exchange (mode 1777, as nbgrader
documents), and the instructor's private copy of the bank and course. Without
root it cannot create accounts: it says so and falls back to one account for
everyone (JupyterHub's SimpleLocalProcessSpawner), which is fine for a look
around but isolates no one.

The same functions prepare the classroom of the end-to-end test.
"""
from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "classroom" / "jupyterhub_config.py"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Classroom:
    """Where everything of one classroom lives, and who is in it."""

    state: Path
    exchange: Path
    instructors: tuple[str, ...]
    students: tuple[str, ...]
    password: str
    port: int
    same_user: bool
    homes: dict[str, Path] = field(default_factory=dict)
    opened: tuple[Path, ...] = ()   # folders given o+x so the accounts reach Python (undo with close_python)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What the hub's configuration reads."""
        return {
            "NUKEDU_CLASSROOM_STATE": str(self.state), "NUKEDU_CLASSROOM_PORT": str(self.port),
            "NUKEDU_CLASSROOM_PASSWORD": self.password, "NUKEDU_INSTRUCTORS": ",".join(self.instructors),
            "NUKEDU_STUDENTS": ",".join(self.students), "NUKEDU_EXCHANGE": str(self.exchange),
            "NUKEDU_SAME_USER": "1" if self.same_user else "0",
        }


def can_create_users() -> tuple[bool, str]:
    if os.geteuid() != 0:
        return False, "not running as root, so no Unix accounts can be created"
    if not shutil.which("useradd"):
        return False, "useradd is not available"
    return True, ""


def ensure_user(name: str, home: Path) -> Path:
    """A Unix account with its own home folder (mode 700); an existing account is reused."""
    try:
        entry = pwd.getpwnam(name)
        home = Path(entry.pw_dir)
    except KeyError:
        home.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", name], check=True)
    home.mkdir(parents=True, exist_ok=True)
    uid, gid = pwd.getpwnam(name).pw_uid, pwd.getpwnam(name).pw_gid
    os.chown(home, uid, gid)
    home.chmod(0o700)
    return home


def remove_user(name: str) -> None:
    """Stop everything the account runs, then delete it and its home (a busy account would otherwise stay)."""
    subprocess.run(["pkill", "-KILL", "-u", name], check=False, capture_output=True)
    for _ in range(10):
        done = subprocess.run(["userdel", "--force", "--remove", name], check=False, capture_output=True)
        try:
            pwd.getpwnam(name)
        except KeyError:
            return
        time.sleep(0.5)
    print(f"warning: could not remove the account {name}: {done.stderr.decode().strip()}", file=sys.stderr)


def as_user(room: Classroom, name: str, args: list[str], *, cwd: Path | None = None,
            env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command as `name` (runuser), with that account's home and its role's Jupyter config."""
    home = room.homes[name]
    role = "instructor" if name in room.instructors else "student"
    full = {"HOME": str(home), "USER": name, "LOGNAME": name, "PATH": f"{BIN}:/usr/bin:/bin", "LANG": "C.UTF-8",
            "JUPYTER_CONFIG_PATH": str(REPO / "classroom" / role), "NUKEDU_EXCHANGE": str(room.exchange),
            **(env or {})}
    prefix = [] if room.same_user else ["runuser", "-u", name, "--"]
    return subprocess.run([*prefix, "env", "-i", *(f"{k}={v}" for k, v in full.items()), *args],
                          cwd=cwd or home, check=check, capture_output=True, text=True)


def open_python_to_users() -> list[Path]:
    """Let other accounts run this environment's Python: folders on its path that others cannot enter get o+x.

    pyenv puts Python under /root (mode 700), so a student's server could not even start. Only the right to
    pass through (x) is added, never to list or read; the folders changed are returned and printed.
    """
    changed = []
    for target in {Path(sys.executable).resolve(), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}:
        for folder in reversed(target.parents):
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)
                changed.append(folder)
    if changed:
        print(f"note: let other accounts pass through {', '.join(map(str, changed))} to reach Python", file=sys.stderr)
    return changed


def close_python(folders: tuple[Path, ...]) -> None:
    """Take back the o+x that `open_python_to_users` gave (when the classroom is taken down)."""
    for folder in folders:
        folder.chmod(folder.stat().st_mode & ~0o001)


def prepare(state: Path, *, port: int = 8000, instructors: tuple[str, ...] = ("nk-teacher",),
            students: tuple[str, ...] = ("nk-student1", "nk-student2", "nk-student3"),
            exchange: Path | None = None, password: str | None = None) -> Classroom:
    """Accounts, exchange and the instructor's private bank; the hub's state folder."""
    ok, why = can_create_users()
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)   # users' servers must be able to reach their homes below it in same-user mode
    exchange = exchange or (Path("/srv/nbgrader/exchange") if ok else state / "exchange")
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)  # nbgrader's documented exchange mode: everyone writes, the sticky bit protects
    password = password or secrets.token_urlsafe(12)
    homes: dict[str, Path] = {}
    opened: list[Path] = open_python_to_users() if ok else []
    if not ok:
        print(f"note: {why}; everyone runs as {pwd.getpwuid(os.geteuid()).pw_name} with a folder of their own "
              f"under {state / 'homes'} (no isolation between users).", file=sys.stderr)
    for name in (*instructors, *students):
        home = state / "homes" / name
        homes[name] = ensure_user(name, home) if ok else home
        if not ok:
            home.mkdir(parents=True, exist_ok=True)
    for name in instructors:
        private = homes[name] / "private-bank"
        if not private.exists():
            shutil.copytree(REPO / "question_bank", private)
        if ok:
            subprocess.run(["chown", "-R", f"{name}:{name}", str(homes[name])], check=True)
    for name in students:
        lessons = homes[name] / "course"
        if not lessons.exists():
            shutil.copytree(REPO / "course", lessons, ignore=shutil.ignore_patterns("instructor-guide*", ".ipynb_checkpoints"))
        if ok:
            subprocess.run(["chown", "-R", f"{name}:{name}", str(homes[name])], check=True)
    return Classroom(state=state, exchange=exchange, instructors=instructors, students=students, password=password,
                     port=port, same_user=not ok, homes=homes, opened=tuple(opened))


def build_course(room: Classroom, specs: list[Path]) -> Path:
    """The instructor builds the assignments from their private bank into ~/course (as the instructor)."""
    teacher = room.instructors[0]
    course = room.homes[teacher] / "course"
    done = as_user(room, teacher, [str(BIN / "nukedu"), "assignment", "build", *map(str, specs), "--course", str(course),
                                   "--bank", str(room.homes[teacher] / "private-bank")], check=False)
    if done.returncode != 0:
        raise SystemExit(f"building the course as {teacher} failed:\n{done.stdout}\n{done.stderr}")
    return course


def hub_command() -> list[str]:
    return [str(BIN / "jupyterhub"), "-f", str(CONFIG)]


def main() -> int:
    parser = argparse.ArgumentParser(description="Start a local nukedu classroom on JupyterHub (127.0.0.1).")
    parser.add_argument("--state", type=Path, default=Path("/srv/nukedu-classroom") if os.geteuid() == 0
                        else REPO / "build" / "classroom")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--spec", type=Path, action="append", default=None,
                        help="assignment spec to build for the instructor (default: assignments/a1-beginnings.yaml)")
    args = parser.parse_args()
    secret_file = args.state / "password"
    password = secret_file.read_text().strip() if secret_file.is_file() else None
    room = prepare(args.state, port=args.port, password=password)
    secret_file.write_text(room.password)
    secret_file.chmod(0o600)
    course = room.homes[room.instructors[0]] / "course"
    if not course.exists():
        build_course(room, args.spec or [REPO / "assignments" / "a1-beginnings.yaml"])
    print(f"\nnukedu classroom at {room.url}/hub/login")
    print(f"  instructor: {', '.join(room.instructors)}   students: {', '.join(room.students)}")
    print(f"  password (all accounts, local trial only): {room.password}")
    print(f"  exchange: {room.exchange}   state: {room.state}")
    print("  the instructor releases with: nbgrader release_assignment a1-beginnings (in ~/course)\n", flush=True)
    os.execve(hub_command()[0], hub_command(), {**os.environ, **room.env()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
