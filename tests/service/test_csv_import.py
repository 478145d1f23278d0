"""Importing people from CSV and loading a program from YAML: clear about every mistake."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mentormail.app.cli import cli
from mentormail.service.exceptions import ProgramFileError
from mentormail.service.models import Participant
from mentormail.service.programs import (
    KNOWN_COLUMNS,
    ImportReport,
    find_program,
    import_participants,
    load_program,
    read_program_file,
)
from tests.harness import PROGRAM_ADDRESS, Program, email
from tests.service.steps import count_rows

pytestmark = pytest.mark.service

HEADER = "email,name,role,profession,industry,major,interests,capacity,contact,bio"
CSV = f"""{HEADER}
nia.osei@alumni.example.edu,Nia Osei,mentor,Architect,,,design,2,email,Designs schools.
not-an-address,Bad Email,mentor,,,,,,,
lee.park@student.example.edu,Lee Park,student,,,History,,,,
max.roth@alumni.example.edu,Max Roth,mentor,Lawyer,Law,Law,,two,email,
eve.diaz@student.example.edu,Eve Diaz,mentee,,,Biology,labs,,,Likes labs, and commas
nia.osei@alumni.example.edu,Nia Again,mentor,,,,,1,email,
kai.lund@student.example.edu,Kai Lund,mentee,,,Physics,"optics; lasers",,,"Curious, careful."
"""


def run_import(program: Program, text: str) -> ImportReport:
    """Import a CSV into the example program, in one transaction."""
    with program.services.unit_of_work() as session:
        return import_participants(session, find_program(session, "alumni-2026"), text)


def test_each_bad_row_is_reported_with_its_line_and_reason_and_good_rows_are_imported(
    program: Program,
) -> None:
    people = count_rows(program, Participant)

    report = run_import(program, CSV)

    lines = {line: reason for line, reason in report.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert lines[3] == "not an email address: 'not-an-address'"
    assert lines[4] == "role must be mentor or mentee, not 'student'"
    assert lines[5] == "capacity must be a whole number from 1 to 20, not 'two'"
    assert lines[6] == "more fields than columns (an unquoted comma?)"
    assert lines[7] == "nia.osei@alumni.example.edu already appears on line 2"
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert count_rows(program, Participant) == people + 2
    kai = program.person("kai.lund@student.example.edu")
    assert kai.interests == ["optics", "lasers"] and kai.bio == "Curious, careful."
    nia = program.person("nia.osei@alumni.example.edu")
    assert (nia.name, nia.capacity, nia.role) == ("Nia Osei", 2, "mentor")


def test_an_address_with_letters_outside_ascii_is_refused_with_the_form_to_write_instead(
    program: Program,
) -> None:
    text = f"""{HEADER}
josé.garcía@alumnos.example.es,José García,mentee,,,Law,,,,
ana@müller-bau.example.de,Ana Müller,mentor,Engineer,,,,1,email,
"""
    report = run_import(program, text)

    lines = dict(report.errors)
    assert "outside ASCII before the @" in lines[2] and "other address" in lines[2]
    assert "write it as ana@xn--mller-bau-q9a.example.de" in lines[3]
    assert report.created == 0


def test_reimporting_the_same_file_changes_nothing(program: Program) -> None:
    run_import(program, CSV)
    before = program.snapshot()
    people = count_rows(program, Participant)

    again = run_import(program, CSV)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(again.errors) == 5
    assert program.snapshot() == before
    assert count_rows(program, Participant) == people


def test_reimporting_the_example_file_changes_nothing(program: Program) -> None:
    text = (Path(__file__).parents[2] / "examples/participants.csv").read_text()
    before = program.snapshot()
    report = run_import(program, text)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 6, [])
    assert program.snapshot() == before


def test_a_changed_row_updates_that_person_only(program: Program) -> None:
    run_import(program, CSV)
    changed = CSV.replace("Designs schools.", "Designs schools and libraries.")
    report = run_import(program, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert program.person("nia.osei@alumni.example.edu").bio == "Designs schools and libraries."


def test_a_file_without_the_needed_columns_is_refused_on_line_one(program: Program) -> None:
    report = run_import(program, "mail,name\nx@example.edu,X\n")
    assert report.errors == [
        (1, "missing columns: email, role (required: email, name, role)"),
        (1, "mail: unknown column (did you mean email?)"),
    ]
    assert report.refused and report.created == 0


NEW_MENTOR = "zoe.kim@alumni.example.edu,Zoe Kim,mentor,Chemist,Pharma,,,5,email,Hi"


def test_a_misspelt_column_is_refused_with_the_one_it_is_close_to_and_nothing_is_imported(
    program: Program,
) -> None:
    before = program.snapshot()
    misspelt = HEADER.replace("capacity", "capcity")

    report = run_import(program, f"{misspelt}\n{NEW_MENTOR}\n")

    assert report.errors == [(1, "capcity: unknown column (did you mean capacity?)")]
    assert report.refused and (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert program.snapshot() == before


def test_a_column_the_import_does_not_read_is_refused_naming_it_and_the_known_ones(
    program: Program,
) -> None:
    before = program.snapshot()

    report = run_import(program, f"{HEADER},favourite_colour\n{NEW_MENTOR},teal\n")

    ((line, reason),) = report.errors
    assert line == 1 and reason.startswith("favourite_colour: unknown column (known columns: ")
    assert all(column in reason for column in KNOWN_COLUMNS)
    assert report.refused and program.snapshot() == before


def test_every_column_the_import_reads_is_accepted(program: Program) -> None:
    header = ",".join(KNOWN_COLUMNS)
    values = {
        "email": "zoe.kim@alumni.example.edu",
        "name": "Zoe Kim",
        "role": "mentor",
        "capacity": "5",
        "timezone": "Europe/Paris",
        "goals": "Find a lab",
        "location": "Lyon",
        "languages": "French; English",
        "availability": "evenings",
        "wants": "chemistry",
        "prefer": "sam.rivera@student.example.edu",
        "avoid": "",
        "cohort": "Class of 2027",
    }
    row = ",".join(values.get(column, "") for column in KNOWN_COLUMNS)

    report = run_import(program, f"{header}\n{row}\n")

    assert (report.created, report.errors, report.refused) == (1, [], False)
    zoe = program.person("zoe.kim@alumni.example.edu")
    assert (zoe.capacity, zoe.timezone) == (5, "Europe/Paris")
    assert zoe.preferences == {
        "goals": "Find a lab",
        "location": "Lyon",
        "languages": ["French", "English"],
        "availability": ["evenings"],
        "wants": ["chemistry"],
        "prefer": ["sam.rivera@student.example.edu"],
        "cohort": "Class of 2027",
    }


@pytest.mark.parametrize(("separator", "named"), [(";", "';'"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_is_refused_saying_columns_need_commas(
    program: Program, separator: str, named: str
) -> None:
    text = HEADER.replace(",", separator) + "\n" + NEW_MENTOR.replace(",", separator) + "\n"

    report = run_import(program, text)

    assert report.errors == [
        (
            1,
            f"the header line seems to use {named} between columns; columns must be "
            "separated by commas (save the file as CSV, comma-separated)",
        )
    ]
    assert report.refused and report.created == 0


def test_a_column_given_twice_is_refused(program: Program) -> None:
    report = run_import(program, f"{HEADER},bio\n{NEW_MENTOR},Hello\n")
    assert report.errors == [(1, "bio: column given twice")]
    assert report.refused and report.created == 0


def test_a_trailing_comma_in_the_header_is_read_but_a_value_under_it_is_rejected(
    program: Program,
) -> None:
    other = NEW_MENTOR.replace("zoe.kim", "ida.berg").replace("Zoe Kim", "Ida Berg")

    report = run_import(program, f"{HEADER},\n{NEW_MENTOR},\n{other},lost words\n")

    assert report.errors == [(3, "a value in a column with no name in the header: 'lost words'")]
    assert report.created == 1 and program.person("zoe.kim@alumni.example.edu").capacity == 5


def test_import_of_a_file_with_a_misspelt_column_says_nothing_was_imported_and_fails(
    program: Program, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(f"{HEADER.replace('capacity', 'capcity')}\n{NEW_MENTOR}\n")

    done = CliRunner().invoke(cli, ["import", str(people), "--program", "alumni-2026"])

    assert done.exit_code == 1
    assert (
        done.stdout
        == f"nothing imported: the header (line 1) of {people} cannot be read as it is\n"
    )
    assert done.stderr == f"{people}:1: capcity: unknown column (did you mean capacity?)\n"
    assert count_rows(program, Participant) == 6


GOOD: dict[str, Any] = {
    "slug": "s",
    "name": "N",
    "address": "mentors@example.org",
    "term": {"start": date(2025, 9, 1), "end": date(2026, 6, 30)},
}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            ["not", "a", "mapping"],
            "a program file must be a mapping of keys to values, "
            "found a list ['not', 'a', 'mapping']",
        ),
        (
            {"slug": "s", "name": "N"},
            "address: missing (expected an email address)\n"
            "term: missing (expected a mapping {start: YYYY-MM-DD, end: YYYY-MM-DD})",
        ),
        (
            {**GOOD, "address": "mentors at example"},
            "address: expected an email address, found 'mentors at example'",
        ),
        (
            {**GOOD, "coordinators": ["ok@example.org", "nope"]},
            "coordinators item 2: expected an email address, found 'nope'",
        ),
        (
            {**GOOD, "term": {"start": "soon"}},
            "term.start: expected a date written YYYY-MM-DD, found 'soon'\n"
            "term.end: missing (expected a date written YYYY-MM-DD)",
        ),
        (
            {**GOOD, "term": {"start": date(2026, 1, 1), "end": date(2025, 1, 1)}},
            "term.end: expected a date after term.start (2026-01-01), found 2025-01-01",
        ),
        (
            {**GOOD, "response_days": "ten"},
            "response_days: expected a whole number of days, at least 1, found 'ten'",
        ),
        (
            {**GOOD, "response_days": True},
            "response_days: expected a whole number of days, at least 1, found True",
        ),
        (
            {**GOOD, "response_days": None},
            "response_days: expected a whole number of days, at least 1, "
            "found nothing (an empty value)",
        ),
        (
            {**GOOD, "coordinators": "a@example.org"},
            "coordinators: expected a list of email addresses like [staff@example.edu], "
            "found 'a@example.org'",
        ),
        (
            {**GOOD, "response_days": 0},
            "response_days: expected a whole number of days, at least 1, found 0",
        ),
        (
            {**GOOD, "default_capacity": 0},
            "default_capacity: expected a whole number of mentees, at least 1, found 0",
        ),
        ({**GOOD, "response_dayz": 7}, "response_dayz: unknown key (did you mean response_days?)"),
        (
            {**GOOD, "term": {**GOOD["term"], "ends": 1}},
            "term.ends: unknown key (did you mean end?)",
        ),
    ],
)
def test_program_file_errors_are_clear(program: Program, document: Any, message: str) -> None:
    with program.services.unit_of_work() as session, pytest.raises(ProgramFileError) as raised:
        load_program(session, document)
    assert str(raised.value) == message


def test_unreadable_yaml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "program.yaml"
    bad.write_text("slug: [unclosed\n")
    with pytest.raises(ProgramFileError, match=r"program\.yaml: cannot read program file"):
        read_program_file(bad)
    with pytest.raises(ProgramFileError, match="cannot read program file"):
        read_program_file(tmp_path / "missing.yaml")


def test_loading_the_program_again_updates_it_in_place(program: Program) -> None:
    with program.services.unit_of_work() as session:
        first = find_program(session, "alumni-2026")
        data = read_program_file(Path(__file__).parents[2] / "examples/program.yaml")
        again = load_program(session, {**data, "response_days": 7})
        assert again.id == first.id and again.response_days == 7


def load_by_cli(file: Path) -> str:
    """`mentormail program load FILE`, its output."""
    done = CliRunner().invoke(cli, ["program", "load", str(file)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_program_load_says_whether_it_created_updated_with_the_keys_or_left_it_unchanged(
    program: Program, tmp_path: Path
) -> None:
    example = (Path(__file__).parents[2] / "examples/program.yaml").read_text()
    file = tmp_path / "program.yaml"
    file.write_text(
        example.replace("slug: alumni-2026", "slug: alumni-2027").replace(
            "address: mentors@", "address: mentors-2027@"
        )
    )
    shown = "Alumni Mentor Program 2026-27 <mentors-2027@example.edu>"

    assert load_by_cli(file) == f"program alumni-2027 created: {shown}\n"
    assert load_by_cli(file) == f"program alumni-2027 unchanged: {shown}\n"
    file.write_text(
        file.read_text()
        .replace("response_days: 10", "response_days: 7")
        .replace("end: 2027-06-30", "end: 2027-07-02")
        .replace("welcome_emails: false", "welcome_emails: true")
    )
    assert load_by_cli(file) == (
        f"program alumni-2027 updated (term.end, response_days, welcome_emails): {shown}\n"
    )
    assert load_by_cli(file) == f"program alumni-2027 unchanged: {shown}\n"


def test_a_second_program_with_the_address_of_another_is_refused_naming_that_program(
    program: Program, tmp_path: Path
) -> None:
    example = (Path(__file__).parents[2] / "examples/program.yaml").read_text()
    file = tmp_path / "program.yaml"
    file.write_text(example.replace("slug: alumni-2026", "slug: alumni-2027"))

    with program.services.unit_of_work() as session, pytest.raises(ProgramFileError) as raised:
        load_program(session, read_program_file(file), source=file)

    assert str(raised.value) == (
        f"{file}: address: mentors@example.edu is already the address of program alumni-2026; "
        "each program needs its own"
    )


def test_the_name_a_person_goes_by_is_what_their_emails_call_them(program: Program) -> None:
    text = f"""{HEADER},known_as
maria.iglesias@student.example.edu,María José Iglesias,mentee,,,Finance,,,,,María José
"""
    assert run_import(program, text).created == 1
    person = program.person("maria.iglesias@student.example.edu")
    assert person.known_as == "María José"
    program.deliver(
        email(
            "María José <maria.iglesias@student.example.edu>",
            PROGRAM_ADDRESS,
            "Busco una mentora en finanzas",
        )
    )
    got = program.last_to("maria.iglesias@student.example.edu").text
    assert got.startswith("Hi María José,")
