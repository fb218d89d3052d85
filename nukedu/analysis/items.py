"""Item analysis of one test: which questions worked, from a matrix of scores and responses. Pure.

The figures are those of classical test theory, as instructors' tools print them:

- **facility**: the mean score on a question over its maximum (for a right/wrong
  question, the share who got it right);
- **discrimination**, two ways: the *point-biserial*, the Pearson correlation
  between the score on the question and the score on the rest of the test
  (total minus this question, so a question is not correlated with itself),
  and the *upper-lower index* D, the question's facility among the top 27 %
  of students by total score minus its facility among the bottom 27 % (ties
  at the cut broken by student id, so the groups are reproducible);
- **reliability**: Cronbach's alpha, k/(k-1) * (1 - sum of item variances /
  variance of the totals); when every question is scored 0 or full marks it
  is the same number as KR-20 and is named so.

Partial credit is kept as it was scored: the point-biserial of a partly scored
question is its corrected item-total correlation. Questions still waiting for
hand-grading are left out of the totals (and so out of everyone's rest
score and of alpha) until every answer has a score. With fewer than
`MIN_STUDENTS` students, discrimination, alpha and the flags are noise, so they
are not computed and the analysis says so instead.
"""
from __future__ import annotations

import csv
import io
import json
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NukeduError

MIN_STUDENTS = 10        # below this, discrimination, alpha and flags are not meaningful
GROUP_SHARE = 0.27       # the upper and lower groups of the upper-lower index
HARD, EASY = 0.2, 0.95   # facility flags: below HARD, above EASY
NEAR_ZERO = 0.1          # a point-biserial below this discriminates (almost) nothing
TOP_WRONG = 5            # common wrong answers kept per question

CHOICE_KINDS = ("single", "multiple", "true_false")
ARRANGEMENT_KINDS = ("ordering", "matching")
ANSWERED, BLANK, INVALID, UNKNOWN = "answered", "blank", "invalid", "unknown"
STATES = (ANSWERED, BLANK, INVALID, UNKNOWN)


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One question (or task, or essay) as the report names and shows it."""

    id: str                        # the part's name in an assignment (q3), the bank id in self-study
    label: str                     # what the instructor calls it: "Question 3"
    max_points: float
    kind: str                      # single, multiple, true_false, numeric, short_text, ordering, matching, code, essay
    question_id: str = ""          # the bank question, when there is one
    text: str = ""                 # the prompt
    choices: tuple[str, ...] = ()  # the choices as a response names them (letters in an assignment)
    texts: tuple[str, ...] = ()    # what each choice says, in the same order (empty when unknown)
    lefts: tuple[str, ...] = ()    # matching: the numbered items
    key: Any = None                # a full-marks response, normalised as responses are
    distractors: tuple[str, ...] = ()   # matching: right-hand choices that belong to no item


@dataclass(frozen=True, slots=True)
class Answer:
    """One student's answer to one item: its score and, when read, the response (see `normalise_response`)."""

    score: float | None            # None: not graded yet (an essay waiting for the instructor)
    state: str = ANSWERED          # answered, blank, invalid (not in the form asked) or unknown (not read)
    response: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Responses:
    """The matrix: one row per student, one `Answer` per item in item order."""

    items: tuple[Item, ...]
    students: tuple[str, ...]
    answers: tuple[tuple[Answer, ...], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionCount:
    """How many chose one option (for a multiple-answer question: ticked it), overall and in each group."""

    choice: str
    label: str
    is_key: bool
    count: int
    upper: int | None = None       # None when the groups are not formed (too few students)
    lower: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WrongAnswer:
    """A wrong (or partly right) response and how many gave it."""

    response: str                  # rendered for a person (see `describe`)
    count: int
    short: str = ""                # the same in letters only, for a chart label ("1 → B; 2 → A")


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemStats:
    """Everything the report says about one item."""

    item: Item
    students: int
    graded: int                    # answers with a score (the rest wait for hand-grading)
    answered: int
    blank: int
    invalid: int
    unknown: int
    mean_points: float | None
    facility: float | None
    point_biserial: float | None
    upper_lower: float | None
    options: tuple[OptionCount, ...] = ()
    wrong: tuple[WrongAnswer, ...] = ()
    full_marks: int = 0
    score_counts: tuple[tuple[float, int], ...] = ()   # (points, students) for every score given
    in_totals: bool = True
    notes: tuple[str, ...] = ()    # figures left out, and why, in words


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """Something in a question to look at, with what the instructor needs to find and fix it."""

    item_id: str
    label: str
    question_id: str
    text: str
    rule: str                      # hard, easy, negative-discrimination, near-zero-discrimination, unused-distractor, ...
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TestStats:
    """The test as a whole, over the items every student has a score for."""

    students: int
    items: int
    max_points: float
    totals: tuple[float, ...]
    mean: float | None
    median: float | None
    sd: float | None               # sample standard deviation (n - 1)
    reliability: float | None
    reliability_name: str          # "Cronbach's alpha" or "KR-20"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemAnalysis:
    title: str
    items: tuple[ItemStats, ...]
    test: TestStats
    flags: tuple[Flag, ...]
    notes: tuple[str, ...]         # about the whole class: too small, students left out
    meaningful: bool               # at least MIN_STUDENTS students
    group_size: int                # students in each of the upper and lower groups (0: not formed)
    graded_at: str = ""


# --- responses: one canonical form, and words for a person ----------------------------------------------
def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return tuple(sorted((_hashable(v) for v in value), key=repr))
    if isinstance(value, dict):
        return tuple(sorted(((str(k), _hashable(v)) for k, v in value.items()), key=lambda kv: _natural(kv[0])))
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def _natural(text: str) -> tuple[int, int, str]:
    """Sort "2" before "10" and numbers before words."""
    stripped = text.strip()
    return (0, int(stripped), "") if stripped.isdigit() else (1, 0, stripped)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else _hashable(value)


def normalise_response(kind: str, value: Any) -> Any:
    """A response in one hashable form, so equal answers count together.

    single: the choice; multiple: a sorted tuple of choices; true_false: a
    bool; numeric: a float; short_text: the text as scoring compares it;
    ordering: a tuple; matching: a tuple of (item, choice) pairs in item order.
    Letters are compared as given: adapters upper-case them first.
    """
    if value is None:
        return None
    if kind == "single":
        return _strip(value)
    if kind == "multiple":
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        return tuple(sorted({_strip(v) for v in values}, key=repr))
    if kind == "true_false":
        return value if isinstance(value, bool) else _strip(value)
    if kind == "numeric":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        return _strip(value)
    if kind == "short_text":
        from ..scoring import normalise_text

        return normalise_text(value) if isinstance(value, str) else _hashable(value)
    if kind == "ordering":
        return tuple(_strip(v) for v in value) if isinstance(value, (list, tuple)) else _hashable(value)
    if kind == "matching":
        if isinstance(value, dict):
            return tuple(sorted(((str(k).strip(), _strip(v)) for k, v in value.items()), key=lambda kv: _natural(kv[0])))
        return _hashable(value)
    return _hashable(value)


def choice_label(item: Item, choice: Any) -> str:
    """"B. What B says" when the item knows the text, else the choice itself."""
    if item.texts and choice in item.choices:
        text = item.texts[item.choices.index(choice)]
        if text and text != choice:
            return f"{choice}. {text}"
    return str(choice)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def describe(item: Item, response: Any, *, short: bool = False) -> str:
    """A response in words: choices with their text, arrangements with arrows (`short`: choices as letters only)."""
    if response is None:
        return "(blank)"
    kind = item.kind
    label = (lambda c: str(c)) if short else (lambda c: choice_label(item, c))
    if kind == "single":
        return label(response)
    if kind == "multiple" and isinstance(response, tuple):
        return "; ".join(label(c) for c in response) or "(none)"
    if kind == "true_false" and isinstance(response, bool):
        return "True" if response else "False"
    if kind == "numeric" and isinstance(response, float):
        return _number(response)
    if kind == "ordering" and isinstance(response, tuple):
        return " → ".join(label(c) for c in response)
    if kind == "matching" and isinstance(response, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in response):
        order = {left: i for i, left in enumerate(item.lefts)}
        pairs = sorted(response, key=lambda p: (order.get(p[0], len(order)), _natural(str(p[0]))))
        return "; ".join(f"{left} → {label(choice)}" for left, choice in pairs)
    if isinstance(response, str):
        return response
    if isinstance(response, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in response) and response:
        return "; ".join(f"{k} → {v}" for k, v in response)        # a dict, as normalised
    if isinstance(response, tuple) and all(isinstance(v, (str, int, float)) for v in response):
        return "; ".join(str(v) for v in response)
    return json.dumps(response, ensure_ascii=False, default=str)


# --- checking the matrix ---------------------------------------------------------------------------------
def check_responses(data: Responses) -> None:
    """Every problem with the matrix at once, as one `NukeduError`."""
    problems: list[str] = []
    ids = [i.id for i in data.items]
    for i, item_id in enumerate(ids):
        if item_id in ids[:i]:
            problems.append(f"item {item_id!r} appears twice")
    for item in data.items:
        if not (item.max_points > 0 and math.isfinite(item.max_points)):
            problems.append(f"item {item.id!r}: expected a maximum above 0 points, found {item.max_points!r}")
    if len(data.answers) != len(data.students):
        problems.append(f"expected one row of answers per student ({len(data.students)}), found {len(data.answers)}")
    seen: set[str] = set()
    for student in data.students:
        if student in seen:
            problems.append(f"student {student!r} appears twice")
        seen.add(student)
    for student, row in zip(data.students, data.answers):
        if len(row) != len(data.items):
            problems.append(f"student {student!r}: expected {len(data.items)} answers (one per item), found {len(row)}")
            continue
        for item, a in zip(data.items, row):
            where = f"student {student!r}, item {item.id!r}"
            if a.state not in STATES:
                problems.append(f"{where}: expected a state among {', '.join(STATES)}, found {a.state!r}")
            if a.score is not None and not (isinstance(a.score, (int, float)) and math.isfinite(a.score)
                                            and -1e-9 <= a.score <= item.max_points + 1e-9):
                problems.append(f"{where}: expected a score from 0 to {item.max_points:g}, found {a.score!r}")
    if problems:
        head = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the item matrix"
        raise NukeduError(head + ":\n" + "\n".join(f"  {p}" for p in problems))


# --- statistics ------------------------------------------------------------------------------------------
def _same(values: Sequence[float]) -> bool:
    return not values or max(values) - min(values) < 1e-9


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """The correlation of two equally long lists, or None when either has no spread."""
    n = len(x)
    if n < 2 or _same(x) or _same(y):
        return None
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def cronbach_alpha(columns: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of item columns (one list of scores per item), or None when it is not defined."""
    k = len(columns)
    if k < 2 or len(columns[0]) < 2:
        return None
    totals = [math.fsum(row) for row in zip(*columns)]
    total_var = statistics.pvariance(totals)
    if total_var <= 1e-12:
        return None
    return k / (k - 1) * (1 - math.fsum(statistics.pvariance(c) for c in columns) / total_var)


def group_size(n: int) -> int:
    """Students in each of the upper and lower groups: 27 % of the class, rounded half up."""
    return int(GROUP_SHARE * n + 0.5) if n >= MIN_STUDENTS else 0


def _plural(n: int | float, word: str) -> str:
    return f"{n:g} {word}{'' if n == 1 else 's'}"


def _option_counts(item: Item, column: Sequence[Answer], upper: set[int], lower: set[int], grouped: bool) -> tuple[OptionCount, ...]:
    if item.kind == "true_false":
        choices: tuple[Any, ...] = (True, False)
    else:
        choices = item.choices
    key = item.key
    if item.kind == "matching":
        keys = set(choices) - set(item.distractors)
    else:
        keys = set(key) if item.kind == "multiple" and isinstance(key, tuple) else {key}

    def picked(a: Answer, c: Any) -> bool:
        if a.state != ANSWERED:
            return False
        if item.kind == "multiple":
            return isinstance(a.response, tuple) and c in a.response
        if item.kind == "matching":
            return isinstance(a.response, tuple) and any(isinstance(p, tuple) and p[1:] == (c,) for p in a.response)
        return a.response == c

    out = []
    for c in choices:
        who = [i for i, a in enumerate(column) if picked(a, c)]
        label = ("True" if c else "False") if isinstance(c, bool) else choice_label(item, c)
        out.append(OptionCount(choice=label if isinstance(c, bool) else str(c), label=label, is_key=c in keys, count=len(who),
                               upper=sum(1 for i in who if i in upper) if grouped else None,
                               lower=sum(1 for i in who if i in lower) if grouped else None))
    return tuple(out)


def _wrong_answers(item: Item, column: Sequence[Answer]) -> tuple[WrongAnswer, ...]:
    counts: Counter[Any] = Counter()
    for a in column:
        if a.state == ANSWERED and a.response is not None and a.score is not None and a.score < item.max_points - 1e-9:
            counts[a.response] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], describe(item, kv[0])))
    return tuple(WrongAnswer(response=describe(item, r), count=c, short=describe(item, r, short=True)) for r, c in ranked[:TOP_WRONG])


def analyse(data: Responses, *, title: str = "", graded_at: str = "", notes: Iterable[str] = ()) -> ItemAnalysis:
    """Every figure of the report, with words where a figure cannot be given (see the module docstring)."""
    check_responses(data)
    n = len(data.students)
    items = data.items
    columns = [[row[j] for row in data.answers] for j in range(len(items))]
    complete = [bool(col) and all(a.score is not None for a in col) for col in columns]
    counted = [j for j in range(len(items)) if complete[j]]
    scores = {j: [float(a.score) for a in columns[j]] for j in counted}  # type: ignore[arg-type]
    totals = [math.fsum(scores[j][i] for j in counted) for i in range(n)]
    meaningful = n >= MIN_STUDENTS
    size = group_size(n)
    order = sorted(range(n), key=lambda i: (-totals[i], data.students[i]))
    upper, lower = (set(order[:size]), set(order[-size:])) if size else (set(), set())

    class_notes = list(notes)
    if n == 0:
        class_notes.append("No graded submissions to analyse: every figure below is empty.")
    elif not meaningful:
        class_notes.append(
            f"Only {_plural(n, 'student')}: with fewer than {MIN_STUDENTS}, discrimination (point-biserial and "
            "upper-lower index), reliability and the flags are not meaningful and are not shown; "
            "facility and the answers given are.")

    stats: list[ItemStats] = []
    for j, item in enumerate(items):
        col = columns[j]
        graded_scores = [float(a.score) for a in col if a.score is not None]
        graded = len(graded_scores)
        blank = sum(1 for a in col if a.state == BLANK)
        invalid = sum(1 for a in col if a.state == INVALID)
        unknown = sum(1 for a in col if a.state == UNKNOWN)
        answered = n - blank
        item_notes: list[str] = []
        mean = math.fsum(graded_scores) / graded if graded else None
        facility = mean / item.max_points if mean is not None else None
        r = d = None
        if n == 0:
            item_notes.append("No students to analyse.")
        elif answered == 0:
            item_notes.append(f"Nobody answered this {'task' if item.kind == 'code' else 'question'}: all {n} left it blank.")
        if n and graded < n:
            item_notes.append(f"{n - graded} of {n} answers wait for hand-grading: this item is left out of the totals, "
                              "discrimination and reliability until they are graded.")
        if complete[j] and meaningful:
            x = scores[j]
            if _same(x):
                item_notes.append(f"Point-biserial not defined: every student scored {_number(x[0])} of {_number(item.max_points)}.")
            else:
                r = pearson(x, [t - s for t, s in zip(totals, x)])
                if r is None:
                    item_notes.append("Point-biserial not defined: the rest of the test gave everyone the same score.")
            d = (math.fsum(x[i] for i in upper) - math.fsum(x[i] for i in lower)) / (size * item.max_points)
        if unknown:
            item_notes.append(f"{unknown} response{'s' if unknown != 1 else ''} could not be read again "
                              "(changed or removed since grading): scored, but not counted among the answers below.")
        full = sum(1 for s in graded_scores if s >= item.max_points - 1e-9)
        options = _option_counts(item, col, upper, lower, bool(size)) if item.kind in CHOICE_KINDS + ("matching",) else ()
        wrong = _wrong_answers(item, col) if item.kind not in CHOICE_KINDS + ("code", "essay") else ()
        score_counts = tuple(sorted(Counter(round(s, 4) for s in graded_scores).items()))
        stats.append(ItemStats(item=item, students=n, graded=graded, answered=answered, blank=blank, invalid=invalid,
                               unknown=unknown, mean_points=mean, facility=facility, point_biserial=r, upper_lower=d,
                               options=options, wrong=wrong, full_marks=full, score_counts=score_counts,
                               in_totals=complete[j], notes=tuple(item_notes)))

    test = _test_stats(n, items, counted, scores, totals, meaningful)
    flags = tuple(f for s in stats for f in item_flags(s)) if meaningful else ()
    return ItemAnalysis(title=title, items=tuple(stats), test=test, flags=flags, notes=tuple(class_notes),
                        meaningful=meaningful, group_size=size, graded_at=graded_at)


def _test_stats(n: int, items: Sequence[Item], counted: Sequence[int], scores: dict[int, list[float]],
                totals: list[float], meaningful: bool) -> TestStats:
    notes: list[str] = []
    left_out = [items[j].label for j in range(len(items)) if j not in set(counted)]
    if left_out and n:
        notes.append(f"Not in the totals (answers still to grade by hand): {', '.join(left_out)}.")
    dichotomous = all(all(s < 1e-9 or s >= items[j].max_points - 1e-9 for s in scores[j]) for j in counted)
    name = "KR-20" if dichotomous and counted else "Cronbach's alpha"
    alpha = None
    if n and not meaningful:
        notes.append(f"Reliability not shown: fewer than {MIN_STUDENTS} students.")
    elif n:
        alpha = cronbach_alpha([scores[j] for j in counted])
        if alpha is None:
            notes.append("Reliability not defined: " + ("it needs at least two items scored for everyone."
                                                        if len(counted) < 2 else "every student has the same total."))
    sd = statistics.stdev(totals) if n >= 2 else None
    if n == 1:
        notes.append("Standard deviation not defined for one student.")
    return TestStats(students=n, items=len(counted), max_points=math.fsum(items[j].max_points for j in counted),
                     totals=tuple(totals), mean=statistics.fmean(totals) if n else None,
                     median=statistics.median(totals) if n else None, sd=sd, reliability=alpha, reliability_name=name,
                     notes=tuple(notes))


def item_flags(s: ItemStats) -> list[Flag]:
    """What to look at in one item; call only for a class of at least MIN_STUDENTS."""
    item = s.item
    out: list[Flag] = []

    def flag(rule: str, message: str) -> None:
        out.append(Flag(item_id=item.id, label=item.label, question_id=item.question_id, text=item.text, rule=rule, message=message))

    if s.students and s.answered == 0:
        flag("nobody-answered", f"nobody answered it ({s.blank} left it blank)")
        return out
    if s.facility is not None and s.graded == s.students:
        if s.facility < HARD:
            flag("hard", f"facility {s.facility:.2f} is below {HARD}: few students got it right")
        elif s.facility > EASY:
            flag("easy", f"facility {s.facility:.2f} is above {EASY}: almost everyone got it right")
    if s.point_biserial is not None:
        if s.point_biserial < 0:
            flag("negative-discrimination", f"negative discrimination (point-biserial {s.point_biserial:.2f}): "
                                            "students who did well on the rest of the test did worse here")
        elif s.point_biserial < NEAR_ZERO:
            flag("near-zero-discrimination", f"near-zero discrimination (point-biserial {s.point_biserial:.2f}): "
                                             "it hardly separates stronger from weaker students")
    if item.kind in ("single", "multiple"):
        for o in s.options:
            if not o.is_key and o.count == 0:
                flag("unused-distractor", f"nobody chose the distractor {o.label}")
    if item.kind == "matching":
        for o in s.options:
            if not o.is_key and o.count == 0:
                flag("unused-distractor", f"nobody used the extra choice {o.label}")
    if item.kind in CHOICE_KINDS and s.options and s.options[0].upper is not None:
        keys = [o for o in s.options if o.is_key]
        if keys:
            bar = min(o.upper or 0 for o in keys)
            for o in s.options:
                if not o.is_key and (o.upper or 0) > bar:
                    flag("distractor-beats-key", f"the top group chose the distractor {o.label} ({o.upper} of them) "
                                                 f"more often than the key ({bar})")
    return out


# --- the per-question table -------------------------------------------------------------------------------
def _fmt(x: float | None) -> str:
    return "" if x is None else f"{round(x, 4):.4f}"


def csv_text(text: str) -> str:
    """A cell a spreadsheet shows as text: students' answers starting with = + - @ would run as formulas."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_COLUMNS = ("item", "label", "question_id", "type", "max_points", "students", "graded", "mean_points", "facility",
               "point_biserial", "upper_lower_index", "blank", "invalid", "full_marks", "options", "common_wrong_answers",
               "flags", "notes", "text")


def items_csv(analysis: ItemAnalysis) -> str:
    """One row per item with every per-question figure (4 decimals; blank where a figure is not given)."""
    flags: dict[str, list[str]] = {}
    for f in analysis.flags:
        flags.setdefault(f.item_id, []).append(f.message)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in analysis.items:
        item = s.item
        mark = " (key)" if item.kind in CHOICE_KINDS else ""
        share = (lambda c: f" ({100 * c / s.students:.0f}%)") if s.students else (lambda c: "")
        options = " | ".join(f"{o.label}{mark if o.is_key else ''}{'' if o.is_key or mark else ' (extra)'}: {o.count}{share(o.count)}"
                             for o in s.options)
        wrong = " | ".join(f"{w.response}: {w.count}" for w in s.wrong)
        writer.writerow([item.id, item.label, item.question_id, item.kind, _number(item.max_points), s.students, s.graded,
                         _fmt(s.mean_points), _fmt(s.facility), _fmt(s.point_biserial), _fmt(s.upper_lower), s.blank,
                         s.invalid, s.full_marks, options, csv_text(wrong), " | ".join(flags.get(item.id, [])), " ".join(s.notes),
                         item.text])
    return buffer.getvalue()


def summary_text(analysis: ItemAnalysis) -> str:
    """The report's headline figures and flags as plain text, for the terminal."""
    t = analysis.test
    lines = []
    head = f"Item analysis of {analysis.title}: {_plural(t.students, 'student')}"
    if analysis.graded_at:
        head += f" (graded {analysis.graded_at})"
    if t.mean is not None:
        head += f", mean {t.mean:.2f} / {_number(t.max_points)}, median {round(t.median or 0, 2):g}"
        if t.sd is not None:
            head += f", SD {t.sd:.2f}"
    if t.reliability is not None:
        head += f", {t.reliability_name} {t.reliability:.2f}"
    lines.append(head + ".")
    lines += [f"note: {n}" for n in (*analysis.notes, *t.notes)]
    if analysis.meaningful:
        lines.append(f"{_plural(len(analysis.flags), 'flag')}" + (":" if analysis.flags else "."))
        for f in analysis.flags:
            qid = f" ({f.question_id})" if f.question_id else ""
            lines.append(f"  {f.label}{qid}: {f.message}")
    return "\n".join(lines)
