"""The README tells the truth about settings, and the pure packages stay pure."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from mentormail.service.config import settings_table
from mentormail.service.programs import program_keys_text

ROOT = Path(__file__).resolve().parents[2]
IO_MODULES = {"flask", "sqlalchemy", "redis", "rq", "jinja2", "imapclient", "sendgrid", "alembic"}
PURE_PACKAGES = ["workflows", "inbound"]


def test_readme_lists_every_setting_with_its_default() -> None:
    assert settings_table() in (ROOT / "README.md").read_text()


def test_readme_lists_every_program_file_key_as_the_model_describes_it() -> None:
    assert program_keys_text() in (ROOT / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run") < readme.index("make test") < readme.index("## The journey")


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_io_code(package: str) -> None:
    for path in (ROOT / "mentormail" / package).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in IO_MODULES, f"{path.name} imports {name}"
                assert not name.startswith(("mentormail.service", "mentormail.webhooks")), (
                    f"{path.name} imports {name}"
                )


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_never_read_the_clock(package: str) -> None:
    for path in (ROOT / "mentormail" / package).glob("*.py"):
        source = path.read_text()
        for call in ("datetime.now(", "datetime.utcnow(", "date.today(", "time.time("):
            assert call not in source, f"{path.name} reads the clock with {call}"


def test_the_layer_contracts_of_pyproject_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
