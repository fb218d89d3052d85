"""A searchable glossary of the organisations, people, places and documents in the texts."""
from __future__ import annotations

import html

from .model import Bank, GlossaryTerm
from .present import citation_html, citation_text


def find_terms(bank: Bank, search: str = "", kind: str | None = None) -> list[GlossaryTerm]:
    """Terms whose name, expansion or description contains `search` (any case), optionally of one kind."""
    needle = search.strip().casefold()
    return sorted(
        (t for t in bank.terms
         if (kind is None or t.kind == kind)
         and (not needle or needle in t.term.casefold() or needle in t.expansion.casefold() or needle in t.description.casefold())),
        key=lambda t: t.term.casefold(),
    )


def _term_html(t: GlossaryTerm) -> str:
    expansion = f" ({html.escape(t.expansion)})" if t.expansion else ""
    return (f'<div class="nukedu-term"><b>{html.escape(t.term)}</b>{expansion} <i>{t.kind}</i><br>'
            f"{html.escape(t.description)}<br><small>{'; '.join(citation_html(c) for c in t.sources)}</small></div>")


class Glossary:
    """A search box and kind filter over the glossary, with the matching terms listed below."""

    def __init__(self, bank: Bank, search: str = "", collapsed: bool = False):
        import ipywidgets as w

        self.bank = bank
        self.collapsed = collapsed  # list nothing until a search, a kind or "Show all" asks for terms
        self.show_all = w.ToggleButton(value=False, description=f"Show all {len(bank.terms)} terms",
                                       tooltip="List every term of the glossary")
        self.search = w.Text(value=search, placeholder="search terms, e.g. PfP or Bydgoszcz", description="Search",
                             continuous_update=True, style={"description_width": "initial"})
        kinds = sorted({t.kind for t in bank.terms})
        self.kind = w.Dropdown(options=[("All kinds", "")] + [(k, k) for k in kinds], value="", description="Kind",
                               style={"description_width": "initial"})
        self.count = w.HTML("")
        self.count.add_class("nukedu-glossary-count")
        self.results = w.HTML("")
        self.results.add_class("nukedu-glossary")
        self.search.observe(lambda _: self.refresh(), "value")
        self.kind.observe(lambda _: self.refresh(), "value")
        self.show_all.observe(lambda _: self.refresh(), "value")
        controls = [self.search, self.kind] + ([self.show_all] if collapsed else [])
        self.widget = w.VBox([w.HBox(controls), self.count, self.results])
        self.terms: list[GlossaryTerm] = []
        self.refresh()

    @property
    def waiting(self) -> bool:
        """Collapsed and not asked for anything yet: show how to search instead of every term."""
        return self.collapsed and not self.search.value.strip() and not self.kind.value and not self.show_all.value

    def refresh(self) -> None:
        if self.waiting:
            self.terms = []
            self.count.value = (f"{len(self.bank.terms)} terms: type a word (for example PfP or Bydgoszcz), "
                                "pick a kind, or show them all.")
            self.results.value = ""
            return
        self.terms = find_terms(self.bank, self.search.value, self.kind.value or None)
        self.count.value = f"{len(self.terms)} of {len(self.bank.terms)} terms"
        self.results.value = "".join(_term_html(t) for t in self.terms) or "<i>No term matches.</i>"

    def to_text(self) -> str:
        if self.waiting:
            return f"Glossary of {len(self.bank.terms)} terms: search it with nukedu.glossary('PfP')."
        lines = []
        for t in self.terms:
            expansion = f" ({t.expansion})" if t.expansion else ""
            lines.append(f"{t.term}{expansion} [{t.kind}]: {t.description} ({'; '.join(citation_text(c) for c in t.sources)})")
        return "\n".join(lines) or "No term matches."

    def _repr_mimebundle_(self, **kwargs):
        from .widgets._display import with_text_fallback

        return with_text_fallback(self.widget, self.to_text())


def glossary(search: str = "", bank: Bank | None = None, *, collapsed: bool = False) -> Glossary:
    """The searchable glossary, starting with `search` typed in; `collapsed` lists nothing until asked."""
    from .loader import shipped_bank

    return Glossary(bank or shipped_bank(), search, collapsed)
