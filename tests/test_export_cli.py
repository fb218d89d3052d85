"""`nukedu export`: the selection options and specs, --out never replaced without --force, one clear error each."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nukedu import load_bank
from nukedu.assign.spec import BankItem, EssayItem, load_spec, resolve
from nukedu.cli import main

from .conftest import MINI_BANK, REPO

A1 = REPO / "assignments" / "a1-beginnings.yaml"


@pytest.mark.parametrize("fmt, suffix, magic", [("moodle", "xml", b"<?xml"), ("gift", "gift", b"// "),
                                                 ("qti", "zip", b"PK"), ("anki", "apkg", b"PK")])
def test_each_format_writes_its_file(tmp_path, capsys, fmt, suffix, magic):
    out = tmp_path / "sub" / f"bank.{suffix}"
    assert main(["export", fmt, "--topic", "beginnings", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(magic)
    n = len(load_bank().by_topic("beginnings")) - (len(load_bank().filter(topic="beginnings", types="ordering")) if fmt == "gift" else 0)
    assert capsys.readouterr().out.startswith(f"wrote {n} questions to {out} (")


def test_spec_exports_exactly_the_specs_questions(tmp_path, capsys):
    out = tmp_path / "a1.xml"
    assert main(["export", "moodle", "--spec", str(A1), "--out", str(out)]) == 0
    bank = load_bank()
    assignment = resolve(load_spec(A1), bank)
    expected = [i.question.id if isinstance(i, BankItem) else i.question_id
                for i in assignment.items if isinstance(i, (BankItem, EssayItem))]
    text = out.read_text(encoding="utf-8")
    written = [line.strip()[10:-11] for line in text.splitlines() if "<idnumber>" in line]
    assert sorted(written) == sorted(expected)  # grouped by topic category, each topic in the spec's order
    for topic in {bank.question(i).topic for i in expected}:
        assert [i for i in written if bank.question(i).topic == topic] == [i for i in expected if bank.question(i).topic == topic]
    err = capsys.readouterr().err
    assert "code tasks are not exported" in err and "early-milestones" in err
    points = {i.question.id: i.points for i in assignment.items if isinstance(i, BankItem)}
    for qid, worth in points.items():  # the spec's points, not the bank's
        block = text[text.index(f"<idnumber>{qid}</idnumber>") - 400:text.index(f"<idnumber>{qid}</idnumber>")]
        assert f"<defaultgrade>{worth}</defaultgrade>" in block


def test_selection_options_work_like_quiz(tmp_path, capsys):
    out = tmp_path / "q.gift"
    assert main(["export", "gift", "--types", "numeric,true_false", "--difficulty", "1", "--topic", "beginnings",
                 "--topic", "washington-2024", "--out", str(out)]) == 0
    bank = load_bank()
    expected = bank.filter(topic=["beginnings", "washington-2024"], types=["numeric", "true_false"], difficulty=1)
    text = out.read_text(encoding="utf-8")
    assert [line[13:] for line in text.splitlines() if line.startswith("// question: ")] == [q.id for q in expected]
    ids = [expected[1].id, expected[0].id]
    out2 = tmp_path / "ids.gift"
    assert main(["export", "gift", "--ids", ",".join(ids), "--out", str(out2)]) == 0
    assert [line[13:] for line in out2.read_text().splitlines() if line.startswith("// question: ")] == ids
    out3 = tmp_path / "n.xml"
    assert main(["export", "moodle", "--topic", "beginnings", "--n", "3", "--seed", "7", "--out", str(out3)]) == 0
    assert out3.read_text().count("<idnumber>") == 3


def test_existing_out_is_never_replaced_without_force(tmp_path, capsys):
    out = tmp_path / "bank.xml"
    out.write_text("keep me")
    assert main(["export", "moodle", "--out", str(out)]) == 1
    assert out.read_text() == "keep me"
    assert capsys.readouterr().err == f"nukedu: error: {out} already exists; choose another name or pass --force to replace it\n"
    assert main(["export", "moodle", "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["bank.xml"]  # no temporary file left behind


@pytest.mark.parametrize("args, message", [
    (["--topic", "nowhere"], "unknown topic 'nowhere'; expected one of: anniversary-2022, beginnings"),
    (["--types", "single,poem"], "unknown question type 'poem'; expected one of: single, multiple"),
    (["--difficulty", "4"], "--difficulty expects 1, 2 or 3 (a list with commas), found '4'"),
    (["--n", "zero"], "--n expects a whole number of questions, at least 1, found 'zero'"),
    (["--ids", "no-such-question"], "no question with id 'no-such-question' in the bank"),
    (["--ids", "beginnings-pfp-year", "--topic", "beginnings"], "--ids names the questions itself; leave out --topic"),
    (["--spec", str(A1), "--types", "single"], "--spec chooses the questions itself; leave out --types"),
    (["--seed", "3"], "--seed only chooses which questions --n draws; give --n too"),
    (["--no-glossary"], "--no-glossary is for the anki format only"),
    (["--topic", ","], "--topic expects at least one value, found nothing"),
    (["--tags", "no-such-tag"], "no question matches these filters"),
    (["--title", " "], "--title expects a name, found an empty text"),
])
def test_bad_options_give_one_clear_error(tmp_path, capsys, args, message):
    out = tmp_path / "x.xml"
    assert main(["export", "moodle", *args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nukedu: error: ") and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_out_folder_and_missing_spec_and_bad_bank(tmp_path, capsys):
    assert main(["export", "qti", "--out", str(tmp_path)]) == 1
    assert "is a folder; expected the path of a file to write" in capsys.readouterr().err
    assert main(["export", "qti", "--spec", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "x.zip")]) == 1
    assert "cannot read the spec" in capsys.readouterr().err
    assert main(["export", "qti", "--bank", str(tmp_path / "nobank"), "--out", str(tmp_path / "x.zip")]) == 1
    assert "no such bank folder" in capsys.readouterr().err


def test_private_bank_and_title(tmp_path, capsys):
    out = tmp_path / "mini.zip"
    assert main(["export", "qti", "--bank", str(MINI_BANK), "--title", "Mini quiz", "--out", str(out)]) == 0
    import zipfile

    with zipfile.ZipFile(out) as zf:
        meta = next(n for n in zf.namelist() if n.endswith("assessment_meta.xml"))
        assert "<title>Mini quiz</title>" in zf.read(meta).decode()
    assert capsys.readouterr().out.startswith("wrote 8 questions")


def test_warnings_go_to_stderr_and_a_wrong_suffix_is_mentioned(tmp_path, capsys):
    assert main(["export", "gift", "--types", "ordering", "--topic", "beginnings", "--out", str(tmp_path / "o.xml")]) == 0
    captured = capsys.readouterr()
    assert "nukedu: warning: GIFT has no ordering question" in captured.err
    assert "GIFT files are usually named *.gift" in captured.err
    assert captured.out.startswith("wrote 0 questions")


def test_usage_errors_exit_2_and_the_command_stays_light(tmp_path):
    run = [sys.executable, "-m", "nukedu", "export"]
    bad = subprocess.run([*run, "pdf", "--out", str(tmp_path / "x")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "invalid choice: 'pdf' (choose from 'moodle', 'gift', 'qti', 'anki', 'timelinejs')" in bad.stderr
    assert subprocess.run([*run, "moodle"], capture_output=True, text=True, timeout=120).returncode == 2  # no --out
    code = ("import sys; from nukedu.cli import main; "
            f"main(['export', 'moodle', '--topic', 'beginnings', '--out', {str(tmp_path / 'm.xml')!r}]); "
            "print([m for m in ('genanki', 'lxml', 'anki', 'nbgrader', 'ipywidgets') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
