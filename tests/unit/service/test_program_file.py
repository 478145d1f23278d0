"""A program file is checked strictly, and every mistake is one clear line naming the file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mentormail.service.exceptions import ProgramFileError
from mentormail.service.programs import (
    ProgramFile,
    program_keys,
    program_keys_text,
    read_program_file,
    term_warning,
    validate_program,
)
from tests.fakes import FakeClock
from tests.harness import EXAMPLES

pytestmark = pytest.mark.unit

GOOD: dict[str, Any] = {
    "slug": "s",
    "name": "N",
    "address": "mentors@example.org",
    "term": {"start": date(2026, 9, 14), "end": date(2027, 6, 30)},
}


def problems(document: Any, **kwargs: Any) -> list[str]:
    """The lines of the error a document gets."""
    with pytest.raises(ProgramFileError) as raised:
        validate_program(document, **kwargs)
    return str(raised.value).splitlines()


def test_a_misspelled_key_is_named_with_the_file_and_the_key_it_probably_meant() -> None:
    assert problems({**GOOD, "response_dayz": 7}, source="examples/program.yaml") == [
        "examples/program.yaml: response_dayz: unknown key (did you mean response_days?)"
    ]


def test_an_unknown_key_with_no_near_miss_lists_the_keys_there_are() -> None:
    (line,) = problems({**GOOD, "mascot": "blue"}, source="p.yaml")
    assert line.startswith("p.yaml: mascot: unknown key (known keys: slug, name, address,")


def test_every_problem_gets_its_own_line_in_file_order_with_what_was_expected_and_found() -> None:
    document = {"slug": "s", "address": "nope", "response_days": "ten", "default_capacity": 0}
    assert problems(document, source="p.yaml") == [
        "p.yaml: address: expected an email address, found 'nope'",
        "p.yaml: response_days: expected a whole number of days, at least 1, found 'ten'",
        "p.yaml: default_capacity: expected a whole number of mentees, at least 1, found 0",
        "p.yaml: name: missing (expected the program's name as text)",
        "p.yaml: term: missing (expected a mapping {start: YYYY-MM-DD, end: YYYY-MM-DD})",
    ]


def test_a_welcome_step_for_no_known_group_names_the_item_and_the_choices(tmp_path: Path) -> None:
    (tmp_path / "two.md").write_text("Two weeks in.\n")
    step = {"day": 14, "subject": "Two weeks in", "file": "two.md", "to": "parents"}
    assert problems({**GOOD, "welcome": [step]}, source="p.yaml", base_dir=tmp_path) == [
        "p.yaml: welcome item 1.to: expected everyone, mentors or mentees, found 'parents'"
    ]


def test_a_templates_folder_that_does_not_exist_is_an_error_naming_its_path(
    tmp_path: Path,
) -> None:
    (line,) = problems({**GOOD, "templates": "my-templates"}, base_dir=tmp_path, source="p.yaml")
    assert line == (
        f"p.yaml: templates: expected an existing folder, found 'my-templates' "
        f"({tmp_path / 'my-templates'} does not exist)"
    )
    (tmp_path / "my-templates").mkdir()
    checked = validate_program({**GOOD, "templates": "my-templates"}, base_dir=tmp_path)
    assert checked.templates == "my-templates"


def test_dates_may_be_written_as_quoted_text_but_not_as_anything_else() -> None:
    quoted = validate_program({**GOOD, "term": {"start": "2026-09-14", "end": "2027-06-30"}})
    assert quoted.term.start == date(2026, 9, 14)
    assert problems({**GOOD, "term": {"start": 20260914, "end": "June"}}) == [
        "term.start: expected a date written YYYY-MM-DD, found 20260914",
        "term.end: expected a date written YYYY-MM-DD, found 'June'",
    ]


def test_defaults_are_the_documented_ones() -> None:
    checked = validate_program(GOOD)
    assert (checked.response_days, checked.default_capacity) == (10, 2)
    assert (checked.max_results, checked.contact_every_days) == (5, 30)
    assert checked.coordinators == [] and checked.templates is None


def test_program_keys_lists_every_key_with_its_type_default_and_meaning() -> None:
    keys = {doc.key: doc for doc in program_keys()}
    names = {info.alias or name for name, info in ProgramFile.model_fields.items()}
    assert set(keys) == {*names, "term.start", "term.end"}
    assert all(doc.kind and doc.meaning for doc in keys.values())
    assert keys["response_days"].default == "10" and "days" in keys["response_days"].kind
    assert keys["slug"].default == "required"
    text = program_keys_text()
    assert re.search(r"^response_days +whole number of days, at least 1; default: 10$", text, re.M)


def test_the_example_program_file_is_valid_and_its_term_holds_the_test_clock() -> None:
    checked = validate_program(read_program_file(EXAMPLES / "program.yaml"), EXAMPLES)
    assert checked.term.start <= FakeClock().now().date() <= checked.term.end


def test_a_term_that_has_ended_is_worth_a_warning() -> None:
    warning = term_warning(date(2026, 6, 30), 10, today=date(2026, 12, 1))
    assert warning is not None
    assert warning.startswith("the term ended on Tuesday 30 June 2026 (154 days ago)")


def test_a_term_ending_within_the_response_window_is_worth_a_warning() -> None:
    warning = term_warning(date(2026, 12, 8), 10, today=date(2026, 12, 1))
    assert warning is not None
    assert warning.startswith("the term ends on Tuesday 8 December 2026, in 7 days")
    assert term_warning(date(2027, 6, 30), 10, today=date(2026, 12, 1)) is None
