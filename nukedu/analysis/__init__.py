"""How each question worked: item analysis for instructors.

`items` computes classical item statistics from a matrix of per-student,
per-question scores and responses, and `selfstudy` sums up learners'
progress exports per bank question; both are pure (standard library only).
The adapters read their input elsewhere (`nukedu.assign.report` reads a
graded course, `nukedu.progress_cli` reads exports) and `html` draws the
plotly report, importing plotly inside its functions.
"""
from __future__ import annotations

__all__: list[str] = []
