"""The Makefile installs what each target needs: the app alone to run it, the tools to test it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def extras_installed(target: str, venv: Path) -> set[str]:
    """The extras every `pip install -e '.[…]'` of `make -n <target>` asks for, on a fresh venv."""
    dry_run = subprocess.run(  # noqa: S603 - a fixed command on the project's own Makefile
        ["make", "-n", target, f"VENV={venv}"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    extras: set[str] = set()
    for group in re.findall(r"pip install .*-e '\.\[([^\]]*)\]'", dry_run):
        extras.update(group.split(","))
    return extras


def test_make_run_installs_only_the_app(tmp_path: Path) -> None:
    """`make run` on a fresh checkout installs no test, lint or browser tools."""
    extras = extras_installed("run", tmp_path / "venv")
    assert extras and not extras & {"dev", "e2e"}


@pytest.mark.parametrize(("target", "needed"), [("test", {"dev"}), ("e2e", {"dev", "e2e"})])
def test_test_targets_still_install_their_tools(
    tmp_path: Path, target: str, needed: set[str]
) -> None:
    """`make test` and `make e2e` still bring pytest (and Playwright for the browser tests)."""
    assert needed <= extras_installed(target, tmp_path / "venv")
