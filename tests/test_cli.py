"""The `nukedu` command: exit codes, every error listed, no tracebacks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nukedu.cli import main

from .conftest import MINI_BANK


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nukedu", *args], capture_output=True, text=True, timeout=120)


def test_validate_clean_bank(capsys):
    assert main(["validate", str(MINI_BANK)]) == 0
    assert capsys.readouterr().out == "OK: 8 questions, 3 events, 2 terms.\n"


def test_validate_lists_every_problem_and_exits_1(mini_bank_dir: Path, capsys):
    path = mini_bank_dir / "questions" / "sample.yaml"
    text = path.read_text().replace("difficulty: 1\n", "difficulty: 7\n", 2)
    path.write_text(text)
    assert main(["validate", str(mini_bank_dir)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{path}:6:17: questions[0].difficulty: expected a whole number from 1 to 3, found 7"
    assert err[1].startswith(f"{path}:32:17: questions[2].difficulty")
    assert err[-1] == "2 problems found."


def test_malformed_yaml_no_traceback(mini_bank_dir: Path):
    (mini_bank_dir / "glossary.yaml").write_text("terms: [\n  - a: b\n")
    result = run("validate", str(mini_bank_dir))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{mini_bank_dir / 'glossary.yaml'}:2:3: YAML syntax error" in result.stderr


def test_usage_errors_exit_2():
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2
    result = run("validate", "--bogus")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_help_and_version():
    for args in (["--help"], ["validate", "--help"], ["stats", "--help"]):
        result = run(*args)
        assert result.returncode == 0 and "usage: nukedu" in result.stdout
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("nukedu ")


def test_stats_reports_counts_and_coverage(capsys):
    assert main(["stats", str(MINI_BANK)]) == 0
    out = capsys.readouterr().out
    assert "8 questions, 3 timeline events, 2 eras, 2 glossary terms" in out
    assert "  single          1" in out
    assert "partnership-2024: 5×3 9×2 11×2 12×1 18×1 32×1 36×1" in out


def test_missing_folder_is_a_clean_error(tmp_path: Path):
    result = run("validate", str(tmp_path / "none"))
    assert result.returncode == 1 and "no such bank folder" in result.stderr and "Traceback" not in result.stderr


def test_assignment_grade_without_a_built_course_is_a_clean_error(tmp_path: Path):
    result = run("assignment", "grade", "a1", "--course", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no answer key for 'a1'" in result.stderr and "nukedu assignment build" in result.stderr


def test_assignment_grade_rejects_a_bad_mapping_file_listing_every_problem(tmp_path: Path):
    mapping = tmp_path / "students.csv"
    mapping.write_text("student,colour\nana,red\nana,blue\n")
    result = run("assignment", "grade", "a1", "--course", str(tmp_path), "--students", str(mapping), "--format", "canvas")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{mapping}:1:2: colour: unknown column" in result.stderr
    assert f"{mapping}:3:1: student: 'ana' is also on line 2" in result.stderr
    assert result.stderr.strip().endswith("2 problems found.")
    assert run("assignment", "grade", "a1", "--course", str(tmp_path), "--format", "excel").returncode == 2


def test_a_reader_that_stops_early_gets_no_error_line():
    """`nukedu validate --review | head -1`: the pipe closes early; no "internal error" follows."""
    import fcntl
    import os

    from .conftest import REPO

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)   # F_SETPIPE_SZ: a small pipe, so the writer must wait for the reader
    proc = subprocess.Popen([sys.executable, "-m", "nukedu", "validate", "--review", str(REPO / "question_bank")],
                            stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as out:
        assert out.readline()
    # what `head -1` does after its first line: the reader is gone while 50 KB are still to come
    _, err = proc.communicate(timeout=120)
    assert b"internal error" not in err and b"Traceback" not in err, err.decode()[-500:]
    assert proc.returncode == 0
