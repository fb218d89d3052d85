"""A stock ipywidget shown with readable fallbacks, for views that are not cards (the glossary)."""
from __future__ import annotations

import html
from typing import Any


def with_text_fallback(widget: Any, text: str) -> dict[str, Any]:
    """The widget for a live kernel, readable text for exports and consoles."""
    bundle = dict(widget._repr_mimebundle_(**{}) or {})
    bundle["text/plain"] = text
    bundle["text/html"] = f'<pre class="nukedu-text">{html.escape(text)}</pre>'
    return bundle


class StaticTwin:
    """Mixin for our anywidgets: a static copy of the content is displayed just before the live widget.

    JupyterLab cannot draw a widget whose model is gone (a notebook reopened
    without a kernel), so the readable copy is what such a notebook shows; the
    live widget hides it. `text/plain` of the widget output is its repr.
    """

    def static_html(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _display_before(self) -> None:
        """Outputs to show ahead of the static copy (the timeline's chart); none by default."""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = repr(self)
        return bundle

    def _ipython_display_(self) -> None:
        from IPython.display import display

        self._display_before()
        display({"text/html": self.static_html(), "text/plain": self.to_text()}, raw=True)
        bundle = self._repr_mimebundle_()
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        display(data, metadata=metadata, raw=True)
