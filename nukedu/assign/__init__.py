"""Gradeable nbgrader assignments built from short YAML specs.

`spec` (YAML to frozen dataclasses) and `runtime` (the helpers test cells call
inside the student's kernel) are light. `notebook`, `build`, `grade` and
`feedback` need the `instructor` extra (nbformat, nbgrader) and import it
inside their functions, so `import nukedu` never pays for it.
"""
from __future__ import annotations

__all__: list[str] = []
