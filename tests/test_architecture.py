"""The rules of docs/architecture.md that code can check: which package may import which, and
where a transaction is committed."""

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

# Commits outside routes, jobs and commands: the named exceptions of docs/architecture.md
# ("One transaction rule"), by module and function.
CLAIM, BEFORE_AI, KEPT, LISTENER, JOB = (
    "exactly once",
    "before an AI call",
    "a record that outlives a failure",
    "a listener's or an authentication hook's own write",
    "a job's body, also run by a command",
)
COMMITS_IN_SERVICES = {
    ("app.evaluation.claim", "claim_evaluation"): CLAIM,
    ("app.evaluation.claim", "release_claim"): CLAIM,
    ("app.evaluation.grading", "_claim"): CLAIM,
    ("app.evaluation.grading", "_release"): CLAIM,
    ("app.evaluation.grading", "_store"): CLAIM,
    ("app.evaluation.services", "_store"): CLAIM,
    ("app.sessions.planning", "store_once"): CLAIM,
    ("app.recruiter.candidate", "release_start"): CLAIM,
    ("app.interview.services", "submit_answer"): CLAIM,
    ("app.evaluation.grading", "grade_main_questions"): BEFORE_AI,
    ("app.sessions.planning", "plan_session"): BEFORE_AI,
    ("app.evaluation.services", "stored_evaluation"): BEFORE_AI,
    ("app.sessions.services", "create_session"): BEFORE_AI,
    ("app.practice.attempts", "answer_again"): BEFORE_AI,
    ("app.sessions.planning", "set_error"): KEPT,
    ("app.recruiter.webhooks", "record"): KEPT,
    ("app.interview.services", "remote"): KEPT,
    ("app.recruiter.webhooks", "on_interview_evaluated"): LISTENER,
    ("app.security", "authenticate_bearer"): LISTENER,
    ("app.recruiter.auth", "authenticate"): LISTENER,
    ("app.interview.recordings", "purge_expired"): JOB,
}


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


def commits(path: Path) -> list[str]:
    """The functions (innermost) that call `db.session.commit()`."""
    found: list[str] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "commit"
                and ast.unparse(child.func.value) == "db.session"
            ):
                found.append(function)
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


def owns_commits(module: str) -> bool:
    """Routes, jobs and commands own their commits."""
    last = module.rsplit(".", 1)[-1]
    return (
        last in ("routes", "cli", "jobs", "demo")
        or last.endswith("_routes")
        or module == "app.recruiter.pages"
        or within(module, ("app.jobs",))
    )


def test_services_commit_only_where_the_transaction_rule_names_an_exception():
    """A service leaves the commit to its caller, except the named exceptions."""
    stray = sorted(
        (module, function)
        for module, path in MODULES.items()
        if not owns_commits(module)
        for function in commits(path)
        if (module, function) not in COMMITS_IN_SERVICES
    )
    assert stray == [], "commit in a service: move it to the caller, or name the exception"


def test_every_named_exception_still_commits():
    """The list stays true: each named exception is a function that still commits."""
    named = {(module, function) for module, path in MODULES.items() for function in commits(path)}
    assert sorted(set(COMMITS_IN_SERVICES) - named) == []


def test_no_language_is_picked_with_an_inline_conditional():
    """The language comes from `Language` / `as_language`, not `"zh" if … else "en"`."""
    offenders = [
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if '"zh" if' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
