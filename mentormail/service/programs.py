"""Programs from YAML files and participants from CSV files, both idempotent."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.exceptions import NotFound, ProgramFileError
from mentormail.service.models import Participant, Program

EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
CSV_COLUMNS = (
    "email",
    "name",
    "role",
    "profession",
    "industry",
    "major",
    "interests",
    "capacity",
    "contact",
    "bio",
)
REQUIRED_KEYS = ("slug", "name", "address", "term")
OPTIONAL_KEYS = {
    "coordinators": list,
    "response_days": int,
    "default_capacity": int,
    "max_results": int,
    "contact_every_days": int,
    "templates": str,
}

KIND_WORDS = {int: "a whole number", list: "a list", str: "text"}


def load_program(session: Session, data: Any, base_dir: Path | None = None) -> Program:
    """Create or update the program a parsed YAML document describes."""
    values = _validate_program(data)
    program = session.scalar(select(Program).where(Program.slug == values["slug"]))
    if program is None:
        program = Program(slug=values["slug"], settings={})
        session.add(program)
    program.name = values["name"]
    program.address = values["address"].lower()
    program.coordinators = [c.lower() for c in values.get("coordinators", [])]
    program.term_start, program.term_end = values["term_start"], values["term_end"]
    program.response_days = values.get("response_days", 10)
    program.default_capacity = values.get("default_capacity", 2)
    program.max_results = values.get("max_results", 5)
    program.contact_every_days = values.get("contact_every_days", 30)
    templates = values.get("templates")
    if templates and base_dir is not None:
        templates = str((base_dir / templates).resolve())
    program.settings = {**(program.settings or {}), "templates": templates}
    session.flush()
    return program


def read_program_file(path: Path) -> Any:
    """Parse a program YAML file, with a clear error for bad YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProgramFileError(f"{path}: cannot read program file: {exc}") from exc


def _validate_program(data: Any) -> dict[str, Any]:
    """Check a program document and return its values, or raise ProgramFileError."""
    if not isinstance(data, dict):
        raise ProgramFileError("a program file must be a mapping of keys to values")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ProgramFileError(f"missing keys: {', '.join(missing)}")
    for key, kind in OPTIONAL_KEYS.items():
        value = data.get(key)
        if key in data and value is None and kind is int:
            raise ProgramFileError(f"{key} is empty: give a whole number or leave the key out")
        wrong_kind = value is not None and not isinstance(value, kind)
        if wrong_kind or (kind is int and isinstance(value, bool)):
            raise ProgramFileError(f"{key} must be {KIND_WORDS[kind]}, not {value!r}")
    for address in [data["address"], *data.get("coordinators", [])]:
        if not isinstance(address, str) or not EMAIL.match(address):
            raise ProgramFileError(f"not an email address: {address!r}")
    term = data["term"]
    if not isinstance(term, dict) or not all(
        isinstance(term.get(k), date) for k in ("start", "end")
    ):
        raise ProgramFileError("term must be {start: YYYY-MM-DD, end: YYYY-MM-DD}")
    if term["end"] <= term["start"]:
        raise ProgramFileError("term end must come after its start")
    for key in ("response_days", "default_capacity", "max_results"):
        if key in data and data[key] < 1:
            raise ProgramFileError(f"{key} must be at least 1")
    return {**data, "term_start": term["start"], "term_end": term["end"]}


def find_program(session: Session, slug: str) -> Program:
    """The program with this slug, or NotFound."""
    program = session.scalar(select(Program).where(Program.slug == slug))
    if program is None:
        raise NotFound(f"no program {slug!r}; load it with `mentormail program load FILE.yaml`")
    return program


@dataclass
class ImportReport:
    """What an import did: rows created, updated, unchanged, and every bad row with why."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


def import_participants(session: Session, program: Program, text: str) -> ImportReport:
    """Import a participants CSV: good rows in, each bad row reported with its line number."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header_error = _check_header(reader.fieldnames)
    if header_error:
        report.errors.append((1, header_error))
        return report
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            values = _participant_values(row, program)
        except ValueError as exc:
            report.errors.append((line, str(exc)))
            continue
        if values["email"] in seen:
            report.errors.append(
                (line, f"{values['email']} already appears on line {seen[values['email']]}")
            )
            continue
        seen[values["email"]] = line
        _upsert(session, program, values, report)
    session.flush()
    return report


def _check_header(fieldnames: Sequence[str] | None) -> str | None:
    """Why a CSV header is unusable, or None."""
    if not fieldnames:
        return "the file is empty"
    missing = [c for c in ("email", "name", "role") if c not in fieldnames]
    if missing:
        return f"missing columns: {', '.join(missing)} (expected {','.join(CSV_COLUMNS)})"
    return None


def _participant_values(row: dict[str, str | None], program: Program) -> dict[str, Any]:
    """One CSV row as participant values, or ValueError saying what is wrong."""
    if None in row:
        raise ValueError("more fields than columns (an unquoted comma?)")
    cell = {k: (row.get(k) or "").strip() for k in CSV_COLUMNS}
    email = cell["email"].lower()
    if not EMAIL.match(email):
        raise ValueError(f"not an email address: {cell['email']!r}")
    if not cell["name"]:
        raise ValueError("name is empty")
    role = cell["role"].lower()
    if role not in ("mentor", "mentee"):
        raise ValueError(f"role must be mentor or mentee, not {cell['role']!r}")
    capacity = None
    if cell["capacity"]:
        if not cell["capacity"].isdigit() or not 0 < int(cell["capacity"]) <= 20:
            raise ValueError(
                f"capacity must be a whole number from 1 to 20, not {cell['capacity']!r}"
            )
        capacity = int(cell["capacity"])
    if role == "mentor" and not cell["contact"]:
        cell["contact"] = "email"
    return {
        **cell,
        "email": email,
        "role": role,
        "capacity": capacity if role == "mentor" else None,
        "interests": [i.strip() for i in cell["interests"].split(";") if i.strip()],
    }


def _upsert(
    session: Session, program: Program, values: dict[str, Any], report: ImportReport
) -> None:
    """Create the participant, or update them if anything changed (keyed by email)."""
    person = session.scalar(
        select(Participant).where(
            Participant.program_id == program.id, Participant.email == values["email"]
        )
    )
    if person is None:
        session.add(Participant(program_id=program.id, **values))
        report.created += 1
        return
    changed = {k: v for k, v in values.items() if getattr(person, k) != v}
    for key, value in changed.items():
        setattr(person, key, value)
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1
