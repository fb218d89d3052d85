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
