"""The rules of docs/architecture.md that code can check: which package may import which."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# The web side: every blueprint's package, and what only pages use.
WEB = (
    "app.auth",
    "app.documents",
    "app.feedback",
    "app.interview",
    "app.main",
    "app.practice",
    "app.recruiter",
    "app.reports",
    "app.sessions",
    "app.templating",
    "app.forms",
    "app.fragments",
    "app.access",
)
# The layers below it: they never import the web side.
LOWER = ("app.models", "app.ai", "app.evaluation", "app.bands", "app.language", "app.i18n")


def module_name(path: Path) -> str:
    """`app/ai/tasks.py` → `app.ai.tasks`; a package's `__init__.py` → the package."""
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(APP.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """Every absolute module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def within(name: str, packages: tuple[str, ...]) -> bool:
    """Whether a module is one of `packages` or inside one."""
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("module", [m for m in MODULES if within(m, LOWER)])
def test_lower_layers_never_import_the_web_side(module):
    """Models, the AI layer, evaluation, bands, language and translation work without a page."""
    upward = sorted(name for name in imported(MODULES[module]) if within(name, WEB))
    assert upward == [], f"{module} imports {upward}"


def test_only_the_ai_layer_reaches_into_the_offline_interviewer():
    """Outside `app/ai/`, the offline interviewer is reached through the router's tasks or the
    `app.ai.coach` facade, never through its own modules."""
    reaching = {
        module: sorted(name for name in imported(path) if within(name, ("app.ai.offline",)))
        for module, path in MODULES.items()
        if not within(module, ("app.ai",))
    }
    assert {module: names for module, names in reaching.items() if names} == {}
