"""Answer controls for each question type: a widget, its current response, and reset/lock.

Controls are built only from what a student may see before answering: option
labels (shuffled), items (shuffled, never in the right order), blank fields.
No answer, explanation or feedback ever goes into their state.
"""
from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import ipywidgets as w

from ..model import Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse
from ..select import presented_choices, shuffled

PLACEHOLDER = "— choose —"


@dataclass
class Control:
    """A question's input area; `response()` gives what `score` expects, `lock(True)` freezes it."""

    widget: w.Widget
    response: Callable[[], Any]
    reset: Callable[[], None]
    lock: Callable[[bool], None]


def _locker(widgets: list[w.Widget]) -> Callable[[bool], None]:
    def lock(disabled: bool) -> None:
        for child in widgets:
            child.disabled = disabled

    return lock


def build_control(q: Question, seed: int | str | None, on_submit: Callable[[], None]) -> Control:
    builder = _BUILDERS[q.type]
    return builder(q, seed, on_submit)


def _radio(q: SingleChoice | TrueFalse, seed, on_submit) -> Control:
    options = ["True", "False"] if isinstance(q, TrueFalse) else presented_choices(q, seed)
    radio = w.RadioButtons(options=options, value=None, description="Your answer", layout=w.Layout(width="auto"),
                           style={"description_width": "initial"})
    radio.add_class("nukedu-choice")

    def response():
        if radio.value is None:
            return None
        return (radio.value == "True") if isinstance(q, TrueFalse) else radio.value

    def reset():
        radio.value = None

    return Control(radio, response, reset, _locker([radio]))


def _checkboxes(q: MultipleChoice, seed, on_submit) -> Control:
    boxes = [w.Checkbox(value=False, description=o, indent=False, layout=w.Layout(width="auto"))
             for o in presented_choices(q, seed)]
    note = w.HTML("<i>Tick every option that applies.</i>")
    box = w.VBox([note, *boxes])
    box.add_class("nukedu-choice")

    def reset():
        for b in boxes:
            b.value = False

    return Control(box, lambda: [b.description for b in boxes if b.value], reset, _locker(boxes))


def _text_field(placeholder: str, label: str, on_submit) -> w.Text:
    field_ = w.Text(value="", placeholder=placeholder, description=label, style={"description_width": "initial"})
    with warnings.catch_warnings():  # on_submit is the one way to react to Enter without also firing on blur
        warnings.simplefilter("ignore", DeprecationWarning)
        field_.on_submit(lambda _: on_submit())
    return field_


def _numeric(q: Numeric, seed, on_submit) -> Control:
    label = "Your answer" + (f" ({q.unit})" if q.unit else "")
    field_ = _text_field("type a number, then Enter", label, on_submit)
    field_.add_class("nukedu-number")

    def reset():
        field_.value = ""

    return Control(field_, lambda: field_.value.strip() or None, reset, _locker([field_]))


def _short_text(q: ShortText, seed, on_submit) -> Control:
    field_ = _text_field("type your answer, then Enter", "Your answer", on_submit)
    field_.add_class("nukedu-text")

    def reset():
        field_.value = ""

    return Control(field_, lambda: field_.value, reset, _locker([field_]))


def _ordering(q: Ordering, seed, on_submit) -> Control:
    start = presented_choices(q, seed)
    order = list(start)
    locked = [False]
    rows = w.VBox()
    rows.add_class("nukedu-ordering")
    note = w.HTML("<i>Use ↑ and ↓ to put the items in order (first at the top).</i>")

    def render():
        children = []
        for i, item in enumerate(order):
            up = w.Button(description="↑", tooltip=f"Move up: {item}", layout=w.Layout(width="2.5em"),
                          disabled=locked[0] or i == 0)
            down = w.Button(description="↓", tooltip=f"Move down: {item}", layout=w.Layout(width="2.5em"),
                            disabled=locked[0] or i == len(order) - 1)
            up.on_click(lambda _, i=i: move(i, -1))
            down.on_click(lambda _, i=i: move(i, +1))
            children.append(w.HBox([up, down, w.HTML(f"<b>{i + 1}.</b> {html.escape(item)}")]))
        rows.children = children

    def move(i: int, step: int):
        j = i + step
        if not locked[0] and 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
            render()

    def reset():
        order[:] = start
        render()

    def lock(disabled: bool):
        locked[0] = disabled
        render()

    render()
    return Control(w.VBox([note, rows]), lambda: list(order), reset, lock)


def _matching(q: Matching, seed, on_submit) -> Control:
    choices = [(PLACEHOLDER, None)] + [(c, c) for c in presented_choices(q, seed)]
    drops = []
    for left in shuffled(q.lefts, seed, q.id + ":left"):
        drop = w.Dropdown(options=choices, value=None, description=left, style={"description_width": "40%"},
                          layout=w.Layout(width="95%"))
        drops.append(drop)
    box = w.VBox(drops)
    box.add_class("nukedu-matching")

    def reset():
        for d in drops:
            d.value = None

    return Control(box, lambda: {d.description: d.value for d in drops if d.value is not None}, reset, _locker(drops))


def _essay(q: Essay, seed, on_submit) -> Control:
    area = w.Textarea(value="", placeholder="Write your answer here.", description="Your answer",
                      layout=w.Layout(width="95%", height="12em"), style={"description_width": "initial"})
    target = f" (aim for at least {q.min_words})" if q.min_words else ""
    count = w.HTML(f"0 words{target}")
    count.add_class("nukedu-wordcount")

    def update(_=None):
        n = len(area.value.split())
        count.value = f"{n} word{'s' if n != 1 else ''}{target}"

    area.observe(update, "value")
    box = w.VBox([area, count])
    box.add_class("nukedu-essay")

    def reset():
        area.value = ""

    return Control(box, lambda: area.value, reset, _locker([area]))


_BUILDERS: dict[str, Callable[..., Control]] = {
    "single": _radio, "true_false": _radio, "multiple": _checkboxes, "numeric": _numeric,
    "short_text": _short_text, "ordering": _ordering, "matching": _matching, "essay": _essay,
}
