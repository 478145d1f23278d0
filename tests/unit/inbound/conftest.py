"""Print the independent set's figures at the end of the run, when they were computed."""

from __future__ import annotations

import pytest

from tests.unit.inbound.independent_set import PARTS, REPORTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for part in (*PARTS, *(name for name in REPORTS if name not in PARTS)):
        if part in REPORTS:
            terminalreporter.write_sep("-", f"independent replies: {part}")
            terminalreporter.write_line(REPORTS[part])
