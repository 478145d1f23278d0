"""Programs from YAML files and participants from CSV files, both idempotent."""

from __future__ import annotations

import csv
import difflib
import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.exceptions import NotFound, ProgramFileError
from mentormail.service.models import Participant, Program
from mentormail.service.people import YEAR_KEYS
from mentormail.service.transports.headers import clean_text
from mentormail.workflows.pairing_rules import DEFAULT_WEIGHTS

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
    "timezone",  # the person's own time zone for quiet hours (empty: the program's)
    "known_as",  # what emails call them (empty: the first word of name)
)
# Optional columns for matching by the program (`mentormail match`); lists are ;-separated.
PREFERENCE_COLUMNS = ("goals", "location", "languages", "availability", "wants", "prefer", "avoid")
PREFERENCE_LISTS = ("languages", "availability", "wants", "prefer", "avoid")
REQUIRED_COLUMNS = ("email", "name", "role")
# Every column the import reads; any other is refused, so a misspelt one is never lost.
KNOWN_COLUMNS = (*CSV_COLUMNS, *PREFERENCE_COLUMNS, "cohort")


# --- the program file ----------------------------------------------------------------------


def _found(value: Any) -> str:
    """What a program file held, as an error message shows it."""
    if value is None:
        return "nothing (an empty value)"
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, dict):
        return f"a mapping {text}"
    if isinstance(value, list | tuple):
        return f"a list {text}"
    return text


def _date(value: Any) -> date:
    """A YAML date (2026-09-14), or the same written as quoted text."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date written YYYY-MM-DD, found {_found(value)}")


def _email(value: str) -> str:
    """An email address, or a ValueError saying what was found instead."""
    if not EMAIL.match(value):
        raise ValueError(f"expected an email address, found {_found(value)}")
    if problem := non_ascii_address(value):
        raise ValueError(problem)
    return value


def non_ascii_address(address: str) -> str | None:
    """Why an address with letters outside ASCII cannot be mailed, or None when it can."""
    if address.isascii():
        return None
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        return (
            f"{address!r} has letters outside ASCII before the @, which needs SMTPUTF8 mail; "
            "mentormail sends only to ASCII addresses (ask for the person's other address)"
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{address!r} has a domain that is not a valid internationalised name"
    return (
        f"{address!r} has letters outside ASCII in its domain; write it as "
        f"{local}@{ascii_domain}, the form mail servers use"
    )


ProgramDate = Annotated[date, BeforeValidator(_date)]
EmailAddress = Annotated[str, AfterValidator(_email)]


def _key(
    description: str, kind: str, expected: str, item: str | None = None, **field_args: Any
) -> Any:
    """A documented key: what it means (with its unit), its type, what an error expects
    (and, for a list, what each item should be)."""
    extra: dict[str, Any] = {"kind": kind, "expected": expected}
    if item:
        extra["item"] = item
    return Field(description=description, json_schema_extra=extra, **field_args)


class Term(BaseModel):
    """``term: {start: YYYY-MM-DD, end: YYYY-MM-DD}``: the academic year matches run for."""

    model_config = ConfigDict(extra="forbid", strict=True)

    start: ProgramDate = _key(
        "First day of the term.", "date (YYYY-MM-DD)", "a date written YYYY-MM-DD"
    )
    end: ProgramDate = _key(
        "Last day of the term: every email promises mentoring until this date, and "
        "`program load` warns when it has passed or comes within response_days.",
        "date (YYYY-MM-DD)",
        "a date written YYYY-MM-DD",
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> Term:
        """A term ends after it starts."""
        if self.end <= self.start:
            raise PydanticCustomError(
                "mm_term_order",
                "term.end: expected a date after term.start ({start}), found {end}",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self


class WelcomeStep(BaseModel):
    """One email of the welcome sequence: ``{day: 3, subject: TEXT, file: PATH}``, and
    optionally ``to: everyone|mentors|mentees`` and ``when: always|paired|unpaired``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    day: int = Field(ge=0, le=365)
    subject: str = Field(min_length=1, max_length=200)
    file: str = Field(min_length=1)
    to: Literal["everyone", "mentors", "mentees"] = Field(
        "everyone", json_schema_extra={"expected": "everyone, mentors or mentees"}
    )
    when: Literal["always", "paired", "unpaired"] = Field(
        "always", json_schema_extra={"expected": "always, paired or unpaired"}
    )


class ProgramFile(BaseModel):
    """A program YAML file. Every key is documented here; ``mentormail program keys`` lists them."""

    model_config = ConfigDict(extra="forbid", strict=True)

    slug: str = _key(
        "Short name of the program, used in commands (`--program SLUG`) and mail categories.",
        "text",
        "a short name as text, such as alumni-2026",
        min_length=1,
        max_length=100,
    )
    name: str = _key(
        "The program's name, shown as the sender of its mail and in every email.",
        "text",
        "the program's name as text",
        min_length=1,
        max_length=200,
    )
    address: EmailAddress = _key(
        "The program's email address: the From: of all program mail; mail sent to it "
        "starts a conversation.",
        "email address",
        "an email address",
    )
    coordinators: list[EmailAddress] = _key(
        "Program staff who hear about problems (reports, bounces, mail set aside).",
        "list of email addresses",
        "a list of email addresses like [staff@example.edu]",
        item="an email address",
        default_factory=list,
    )
    term: Term = _key(
        "The term matches run for (the academic year): `{start: YYYY-MM-DD, end: YYYY-MM-DD}`.",
        "mapping {start, end}",
        "a mapping {start: YYYY-MM-DD, end: YYYY-MM-DD}",
    )
    response_days: int = _key(
        "Days a mentor has to answer a request before the mentee may ask someone else.",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=10,
        ge=1,
    )
    default_capacity: int = _key(
        "Mentees per mentor when the participants file gives no capacity.",
        "whole number of mentees, at least 1",
        "a whole number of mentees, at least 1",
        default=2,
        ge=1,
    )
    max_results: int = _key(
        "Most mentors listed in one answer to a mentee's search.",
        "whole number of mentors, at least 1",
        "a whole number of mentors, at least 1",
        default=5,
        ge=1,
    )
    contact_every_days: int = _key(
        "Days between the contacts a pair is encouraged to have (30: monthly).",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=30,
        ge=1,
    )
    # --- the year on the clock ---
    max_pending_per_mentee: int = _key(
        "Requests a mentee may have waiting for an answer at once.",
        "whole number of requests, at least 1",
        "a whole number of requests, at least 1",
        default=1,
        ge=1,
    )
    more_time_days: int = _key(
        "Days past a request's first due date that a mentor who asks for time to think (\"Can "
        'I think about it until next week?") may have: the request stays open until the day '
        "they named, at most this much longer, and the mentee is told the new date. 0: none.",
        "whole number of days, 0 to 30",
        "a whole number of days from 0 to 30",
        default=7,
        ge=0,
        le=30,
    )
    checkin_every_days: int = _key(
        'Days between check-ins ("Have you met since …?"); 30 monthly, 90 for once a quarter. '
        "No check-in goes while the pair met within the last half of this.",
        "whole number of days, at least 7",
        "a whole number of days, at least 7",
        default=30,
        ge=7,
    )
    fit_check_days: int = _key(
        'Days after the introduction when both are asked "is this a good fit?" (sooner, '
        "once the first meeting is reported).",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=30,
        ge=1,
    )
    survey_midpoint: bool = _key(
        "Whether both are asked to rate the mentorship 1-5 at the middle of the term (one "
        "reminder).",
        "true or false",
        "true or false",
        default=True,
    )
    survey_pulse_days: int = _key(
        "Days after the introduction for an early pulse survey (1-5); 0 turns it off.",
        "whole number of days, 0 or more",
        "a whole number of days, 0 or more",
        default=30,
        ge=0,
    )
    meeting_ideas: list[str] = _key(
        "The program's own meeting ideas and tips, added to the built-in library that every "
        "check-in draws one from (never the same one twice to a pair). {mentor} and {mentee} "
        "(and {mentor's}, {mentee's}) read as you/your to that side, the first name to the other; "
        'a verb after them takes no -s ("{mentee} could ask", not "{mentee} asks").',
        "list of text",
        "a list of ideas as text",
        item="an idea as text",
        default_factory=list,
    )
    timezone: str = _key(
        "The program's time zone (an IANA name such as America/Los_Angeles): quiet hours and "
        "weekends are kept in it.",
        "time zone name",
        "a time zone name such as America/Los_Angeles",
        default="UTC",
    )
    quiet_hours: str = _key(
        "Local hours when scheduled mail (check-ins, reminders, surveys) waits for the morning, "
        "`HH:MM-HH:MM`; empty: none. Answers to a person's own message go at once.",
        "HH:MM-HH:MM",
        "hours written HH:MM-HH:MM, such as 21:00-08:00",
        default="21:00-08:00",
    )
    weekends: str = _key(
        "`quiet`: scheduled mail waits for Monday morning; `send`: weekends are like any day.",
        "quiet or send",
        "quiet or send",
        default="send",
    )

    @field_validator("timezone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        """A time zone the system knows."""
        if not _known_zone(value):
            raise ValueError(f"expected a time zone name such as Europe/Paris, found {value!r}")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        """HH:MM-HH:MM, or empty."""
        from mentormail.workflows import quiet

        try:
            quiet.parse(value)
        except Exception:
            raise ValueError(f"expected hours written HH:MM-HH:MM, found {value!r}") from None
        return value

    @field_validator("weekends")
    @classmethod
    def _weekends(cls, value: str) -> str:
        """quiet or send."""
        if value not in ("quiet", "send"):
            raise ValueError(f"expected quiet or send, found {value!r}")
        return value

    templates: str | None = _key(
        "Folder of your own versions of any email template (same names as in "
        "mentormail/email_templates/), relative to the program file. None: the built-in ones.",
        "folder",
        "the path of an existing folder",
        default=None,
    )

    digest: Literal["weekly", "daily", "off"] = _key(
        "How often each coordinator gets the digest of what needs a person, with the "
        "numbers: weekly (Mondays 08:00) or daily (08:00), in the program's timezone, or off.",
        "weekly | daily | off",
        "one of weekly, daily, off",
        default="weekly",
    )
    raw_mail_days: int = _key(
        "Days raw inbound mail is kept; then the sweep removes it and keeps only what was "
        "read from it (who, when, what it meant).",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=400,
        ge=1,
    )
    match_weights: dict[str, float] = _key(
        "How much each field counts when `mentormail match` pairs people: a mapping of any "
        f"of {', '.join(DEFAULT_WEIGHTS)} to a number (0 ignores it). Defaults: "
        + ", ".join(f"{k} {v:g}" for k, v in DEFAULT_WEIGHTS.items())
        + ".",
        "mapping field: number",
        "a mapping such as {wants: 3, location: 0}",
        default_factory=dict,
    )
    matching: Literal["self", "coordinator", "both"] = _key(
        "Who makes the pairs: self (mentees search by email and ask a mentor), coordinator "
        "(mentees' wishes go to the coordinators, who pair people with `mentormail match "
        "--send` or `mentormail pair`) or both (mentees search, and coordinators pair too).",
        "self | coordinator | both",
        "one of self, coordinator, both",
        default="self",
    )
    approval: Literal["open", "required"] = _key(
        "Whether new mentors wait for a coordinator's approval before mentees can find them "
        "or the program proposes them: open (listed at once) or required (approved by a "
        "digest reply `approve EMAIL`, its link, or `mentormail approve EMAIL`).",
        "open | required",
        "one of open, required",
        default="open",
    )
    logo_url: str | None = _key(
        "Address of the program's logo, shown at the top of every HTML email. None: the "
        "program's name alone.",
        "https address",
        "an https:// address of an image",
        default=None,
        pattern=r"^https://[^\s\"'<>]+$",
    )
    colour: str | None = _key(
        "The program's colour for the header rule, buttons and links of HTML email. None: ours.",
        "hex colour",
        "a hex colour such as #2774ae",
        default=None,
        pattern=r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$",
    )

    major_label: str = _key(
        "What the participants file's `major` column means in this program, as emails name it "
        '("Field of study: ..."): a company might say team, role or department.',
        "text",
        "a few words as text, such as team",
        default="field of study",
        min_length=1,
        max_length=40,
    )

    # --- unmatched alerts, the welcome sequence, several mentors per mentee ---
    unmatched_alert_days: int = _key(
        "Days a mentee may go without a mentor before the digest lists them under what needs "
        "a person (name, address, since when).",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=14,
        ge=1,
    )
    urgent_chase_days: int = _key(
        "Days an urgent item (a reported problem, HELP, a low rating: the person was told a "
        "coordinator will contact them) may stay open before it is emailed to the coordinators "
        "again, once. 0: never again.",
        "whole number of days, 0 to 30",
        "a whole number of days from 0 to 30",
        default=2,
        ge=0,
        le=30,
    )
    max_mentors_per_mentee: int = _key(
        "How many mentors a mentee may have at once (a personal board of directors): a "
        "mentee with fewer may search and ask for another; each match has its own agreement, "
        "check-ins and ending.",
        "whole number, 1 to 5",
        "a whole number from 1 to 5",
        default=1,
        ge=1,
        le=5,
    )
    orientation: list[str] = _key(
        'The orientation sessions, each as text with its date ("2027-01-14 18:00, Zoom"), '
        "told to every new mentor and mentee in the welcome emails.",
        "list of text",
        "a list of sessions as text",
        item="a session as text, such as 2027-01-14 18:00, Zoom",
        default_factory=list,
    )
    welcome_emails: bool = _key(
        "true: each new mentor and mentee gets the welcome and training emails (day 0, 3 "
        "and 7: what is expected, how to use the program by email, the do's and don'ts, the "
        "orientation dates); false: none.",
        "true or false",
        "true or false",
        default=True,
    )
    welcome: list[WelcomeStep] = _key(
        "The welcome and training emails of each new mentor and mentee: a list of {day, "
        "subject, file} (file: Markdown text, relative to the program file). A step on the "
        "day of a built-in one (0, 3, 7) replaces it; other days are added. A step may add "
        "to: mentors or mentees (default everyone) and when: paired or unpaired (whether "
        "the person has a partner on the step's day; default always); a step not for the "
        "person is passed over.",
        "list of {day, subject, file, to, when}",
        "a list of {day: N, subject: TEXT, file: PATH}, with to: everyone, mentors or "
        "mentees and when: always, paired or unpaired if given",
        item="{day: N, subject: TEXT, file: PATH, to: WHOM, when: PAIRED}",
        default_factory=list,
    )

    @field_validator("match_weights")
    @classmethod
    def _known_weights(cls, value: dict[str, float]) -> dict[str, float]:
        """Only fields the matcher knows, each weighing zero or more."""
        for name, weight in value.items():
            if name not in DEFAULT_WEIGHTS:
                raise ValueError(f"expected one of {', '.join(DEFAULT_WEIGHTS)}, found {name!r}")
            if weight < 0:
                raise ValueError(f"expected a weight of 0 or more for {name}, found {weight:g}")
        return value

    # --- the Mentoring Agreement and the end of term ---
    agreement: bool = _key(
        "true: right after the introduction the mentee is asked for the pair's goals (one a "
        "line, optional activities and 'by <date>'), the mentor agrees or edits them, and the "
        "agreed text goes to both and to the coordinators.",
        "true or false",
        "true or false",
        default=False,
    )
    agreement_remind_days: int = _key(
        "Days after the introduction when the mentee is reminded, if no goals were sent.",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=14,
        ge=1,
    )
    wrapup_days_before_end: int = _key(
        "Days before a match's end when both are asked whether to CONTINUE or END.",
        "whole number of days, at least 1",
        "a whole number of days, at least 1",
        default=21,
        ge=1,
    )
    continue_: Literal["next_term", "open"] = _key(
        "What a match both sides continue becomes: `next_term` (until next_term_end, or one "
        "more year when that is not given) or `open` (no end date).",
        "next_term or open",
        "next_term or open",
        default="next_term",
        alias="continue",
    )
    next_term_end: ProgramDate | None = _key(
        "Where a continued match ends (YYYY-MM-DD). None: a year after the match's end.",
        "date (YYYY-MM-DD)",
        "a date written YYYY-MM-DD",
        default=None,
    )

    @field_validator("templates")
    @classmethod
    def _templates_folder_exists(cls, value: str | None, info: ValidationInfo) -> str | None:
        """The templates folder must be there (relative to the program file)."""
        if not value:
            return value
        base_dir = (info.context or {}).get("base_dir")
        folder = (Path(base_dir) / value) if base_dir is not None else Path(value)
        if not folder.is_dir():
            problem = "is not a folder" if folder.exists() else "does not exist"
            raise ValueError(
                f"expected an existing folder, found {value!r} ({folder.resolve()} {problem})"
            )
        return value

    @field_validator("welcome")
    @classmethod
    def _welcome_files_exist(
        cls, value: list[WelcomeStep], info: ValidationInfo
    ) -> list[WelcomeStep]:
        """Each welcome step's file must be there (relative to the program file)."""
        base_dir = (info.context or {}).get("base_dir")
        for step in value:
            path = (Path(base_dir) / step.file) if base_dir is not None else Path(step.file)
            if not path.is_file():
                found = f"{step.file!r} ({path.resolve()})"
                raise ValueError(f"expected an existing file, found {found}")
        return value


def validate_program(
    data: Any, base_dir: Path | None = None, source: str | Path | None = None
) -> ProgramFile:
    """A parsed program document checked against ``ProgramFile``.

    Raises ProgramFileError with one line per problem: ``FILE: KEY: expected ..., found ...``.
    """
    try:
        return ProgramFile.model_validate(data, context={"base_dir": base_dir})
    except ValidationError as exc:
        prefix = f"{source}: " if source else ""
        order = list(data) if isinstance(data, dict) else []

        def in_file_order(error: Any) -> int:
            """Problems in the order of the file's keys; missing keys after them."""
            loc = error["loc"]
            return order.index(loc[0]) if loc and loc[0] in order else len(order)

        errors = sorted(exc.errors(include_url=False), key=in_file_order)
        lines = [prefix + _problem(error) for error in errors]
        raise ProgramFileError("\n".join(dict.fromkeys(lines))) from None


def _problem(error: Any) -> str:
    """One pydantic error as a person reads it: the key, what was expected, what was found."""
    loc = tuple(error["loc"])
    kind = str(error["type"])
    if not loc:
        return f"a program file must be a mapping of keys to values, found {_found(error['input'])}"
    key = _key_name(loc)
    if kind.startswith("mm_"):
        return str(error["msg"])
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else f"known keys: {', '.join(known)}"
        return f"{key}: unknown key ({hint})"
    expected = _expected(loc)
    if kind == "missing":
        return f"{key}: missing (expected {expected})"
    if kind == "value_error":
        return f"{key}: {error['ctx']['error']}"
    return f"{key}: expected {expected}, found {_found(error['input'])}"


def _key_name(loc: tuple[Any, ...]) -> str:
    """``term.end``, ``coordinators item 2`` (counting from 1, as people do)."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f" item {part + 1}"
        else:
            name += f".{part}" if name else str(part)
    return name


def _field_at(loc: tuple[Any, ...]) -> tuple[type[BaseModel], str] | None:
    """The model and field name a location points at (list positions ignored)."""
    model: type[BaseModel] = ProgramFile
    names = [p for p in loc if isinstance(p, str)]
    for depth, key in enumerate(names):
        name = _field_name(model, key)
        if name not in model.model_fields:
            return None
        if depth == len(names) - 1:
            return model, name
        nested = _model_in(model, name)
        if nested is None:
            return None
        model = nested
    return None


def _field_name(model: type[BaseModel], key: str) -> str:
    """The field a file's key fills (``continue`` fills ``continue_``)."""
    aliases = {info.alias: name for name, info in model.model_fields.items() if info.alias}
    return aliases.get(key, key)


def _model_of(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The nested model a field holds (``term``), or None."""
    annotation = model.model_fields[name].annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _model_in(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The nested model a field holds, or each item of its list holds (``welcome``)."""
    annotation = model.model_fields[name].annotation
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return item if isinstance(item, type) and issubclass(item, BaseModel) else None
    return _model_of(model, name)


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at ``loc``."""
    found = _field_at(loc) if loc else None
    nested = _model_of(*found) if found else ProgramFile
    return [info.alias or name for name, info in nested.model_fields.items()] if nested else []


def _expected(loc: tuple[Any, ...]) -> str:
    """What the key at ``loc`` should hold (or one item of its list), in words."""
    found = _field_at(loc)
    extra = found[0].model_fields[found[1]].json_schema_extra if found else None
    if not isinstance(extra, dict):
        return "a valid value"
    if isinstance(loc[-1], int) and "item" in extra:
        return str(extra["item"])
    return str(extra["expected"])


@dataclass(frozen=True)
class KeyDoc:
    """One key of a program file, as ``mentormail program keys`` prints it."""

    key: str
    kind: str
    default: str
    meaning: str


def program_keys() -> list[KeyDoc]:
    """Every key a program file may have, read from the model (so the list cannot drift)."""
    docs: list[KeyDoc] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            if info.is_required():
                default = "required"
            elif info.default_factory is not None:
                default = repr(info.default_factory())  # type: ignore[call-arg]
            else:
                default = str(info.default)
            kind = str(extra.get("kind", ""))
            key = info.alias or name  # `continue` is a Python word: its field is continue_
            docs.append(KeyDoc(prefix + key, kind, default, info.description or ""))
            nested = _model_of(model, name)
            if nested is not None:
                walk(nested, f"{prefix}{name}.")

    walk(ProgramFile, "")
    return docs


def program_keys_text() -> str:
    """The keys as aligned text: key, type and default on one line, the meaning under it."""
    docs = program_keys()
    width = max(len(d.key) for d in docs)
    lines = []
    for doc in docs:
        lines.append(f"{doc.key:<{width}}  {doc.kind}; default: {doc.default}")
        lines += textwrap.wrap(doc.meaning, 96, initial_indent=" " * 4, subsequent_indent=" " * 4)
    return "\n".join(lines)


def term_warning(term_end: date, response_days: int, today: date) -> str | None:
    """Why a program's term needs a look (it ended, or ends within response_days), or None."""
    end = f"{term_end:%A} {term_end.day} {term_end:%B %Y}"
    left = (term_end - today).days
    if left < 0:
        return (
            f"the term ended on {end} ({-left} days ago), yet every email promises mentoring "
            "until then: set term.start and term.end to the current term"
        )
    if left <= response_days:
        return (
            f"the term ends on {end}, in {left} days, within response_days ({response_days}): "
            "a request made now may still be open when it ends; set term.end to the next term"
        )
    return None


def load_program(
    session: Session,
    data: Any,
    base_dir: Path | None = None,
    source: str | Path | None = None,
) -> Program:
    """Create or update the program a parsed YAML document describes.

    ``base_dir`` is the program file's folder (``templates`` is relative to it); ``source``
    names the file in error messages.
    """
    values = validate_program(data, base_dir, source)
    _address_is_free(session, values, source)
    program = session.scalar(select(Program).where(Program.slug == values.slug))
    if program is None:
        program = Program(slug=values.slug, settings={})
        session.add(program)
    program.name = values.name
    program.address = values.address.lower()
    program.coordinators = [c.lower() for c in values.coordinators]
    program.term_start, program.term_end = values.term.start, values.term.end
    program.response_days = values.response_days
    program.default_capacity = values.default_capacity
    program.max_results = values.max_results
    program.contact_every_days = values.contact_every_days
    templates = values.templates
    if templates and base_dir is not None:
        templates = str((base_dir / templates).resolve())
    settings = {
        "templates": templates,
        "logo_url": values.logo_url,
        "colour": values.colour,
        "major_label": " ".join(values.major_label.split()),
        "raw_mail_days": values.raw_mail_days,
        "digest": values.digest,
        "match_weights": {**DEFAULT_WEIGHTS, **values.match_weights},
        "approval": values.approval,
        "matching": values.matching,
        **{
            k: getattr(values, k)
            for k in (*YEAR_KEYS, "meeting_ideas", "timezone", "quiet_hours", "weekends")
        },
        **end_of_term_settings(values),
        **people_settings(values, base_dir),
    }
    program.settings = {**(program.settings or {}), **settings}
    session.flush()
    return program


# The program row's columns, by the program-file key each comes from.
_ROW_KEYS = {
    "name": "name",
    "address": "address",
    "coordinators": "coordinators",
    "term.start": "term_start",
    "term.end": "term_end",
    "response_days": "response_days",
    "default_capacity": "default_capacity",
    "max_results": "max_results",
    "contact_every_days": "contact_every_days",
}
# Settings stored under another name than their key.
_SETTING_KEYS = {"continue_open": "continue", "max_matches_per_mentee": "max_mentors_per_mentee"}


def program_state(session: Session, slug: str) -> dict[str, Any] | None:
    """What the program with this slug holds, by program-file key (None: there is none)."""
    program = session.scalar(select(Program).where(Program.slug == slug))
    if program is None:
        return None
    settings = {_SETTING_KEYS.get(k, k): v for k, v in (program.settings or {}).items()}
    return {**settings, **{key: getattr(program, column) for key, column in _ROW_KEYS.items()}}


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The program-file keys whose values differ, in the order `program keys` lists them."""
    order = {doc.key: n for n, doc in enumerate(program_keys())}
    changed = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return sorted(changed, key=lambda k: (order.get(k, len(order)), k))


def _address_is_free(session: Session, values: ProgramFile, source: str | Path | None) -> None:
    """Refuse an address another program already has (its mail could not be told apart)."""
    other = session.scalar(
        select(Program.slug).where(
            Program.address == values.address.lower(), Program.slug != values.slug
        )
    )
    if other is not None:
        prefix = f"{source}: " if source else ""
        raise ProgramFileError(
            f"{prefix}address: {values.address} is already the address of program {other}; "
            "each program needs its own"
        )


def read_program_file(path: Path) -> Any:
    """Parse a program YAML file, with a clear error for bad YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProgramFileError(f"{path}: cannot read program file: {exc}") from exc


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
    refused: bool = False  # the header was unusable: nothing was read or imported


def import_participants(session: Session, program: Program, text: str) -> ImportReport:
    """Import a participants CSV: good rows in, each bad row reported with its line number."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header_errors = _check_header(reader.fieldnames)
    if header_errors:
        report.errors.extend((1, problem) for problem in header_errors)
        report.refused = True
        return report
    seen: dict[str, int] = {}
    confirmed = _confirmed_addresses(session, program)
    for row in reader:
        line = reader.line_num
        try:
            values = _participant_values(row, program)
        except ValueError as exc:
            report.errors.append((line, str(exc)))
            continue
        moving = confirmed.get(values["email"])
        known = moving.email if moving is not None else values["email"]
        if values["email"] in seen or known in seen:
            first = seen.get(values["email"], seen.get(known))
            report.errors.append((line, f"{values['email']} already appears on line {first}"))
            continue
        seen[values["email"]] = seen[known] = line
        _upsert(session, program, values, report, confirmed)
    session.flush()
    return report


def _check_header(fieldnames: Sequence[str] | None) -> list[str]:
    """Every reason a CSV header is unusable (none: it can be read)."""
    if not fieldnames:
        return ["the file is empty"]
    only = fieldnames[0] if len(fieldnames) == 1 else ""
    for sign, name in ((";", "';'"), ("\t", "tabs")):
        if sign in only:  # a spreadsheet saved with another separator: one column, unreadable
            return [
                f"the header line seems to use {name} between columns; columns must be "
                "separated by commas (save the file as CSV, comma-separated)"
            ]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in fieldnames]
    if missing:
        problems.append(
            f"missing columns: {', '.join(missing)} (required: {', '.join(REQUIRED_COLUMNS)})"
        )
    named = [name for name in fieldnames if name]  # a nameless one is checked row by row
    problems += [
        f"{_shown(n)}: column given twice" for n in sorted(set(named)) if named.count(n) > 1
    ]
    problems += [_unknown_column(n) for n in named if n not in KNOWN_COLUMNS]
    return problems


def _unknown_column(name: str) -> str:
    """An unknown column named, with the known one it is close to, or the known ones."""
    close = difflib.get_close_matches(name.strip().lower(), KNOWN_COLUMNS, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else f"known columns: {', '.join(KNOWN_COLUMNS)}"
    return f"{_shown(name)}: unknown column ({hint})"


def _shown(name: str) -> str:
    """A column name as written, quoted when spaces around it would not show."""
    return name if name == name.strip() else repr(name)


def _participant_values(row: dict[str, str | None], program: Program) -> dict[str, Any]:
    """One CSV row as participant values, or ValueError saying what is wrong."""
    if None in row:
        raise ValueError("more fields than columns (an unquoted comma?)")
    if (row.get("") or "").strip():
        raise ValueError(f"a value in a column with no name in the header: {row['']!r}")
    cell = {k: (row.get(k) or "").strip() for k in CSV_COLUMNS}
    email = cell["email"].lower()
    if not EMAIL.match(email):
        raise ValueError(f"not an email address: {cell['email']!r}")
    if problem := non_ascii_address(email):
        raise ValueError(problem)
    # --- outbound: a name reaches the To: and Subject: of mail, so it is decoded, one line ---
    cell["name"] = clean_text(cell["name"])
    if not cell["name"]:
        raise ValueError("name is empty")
    cell["known_as"] = clean_text(cell["known_as"])[:100]
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
    if cell["timezone"] and not _known_zone(cell["timezone"]):
        raise ValueError(
            f"timezone must be a time zone name such as Europe/Paris, not {cell['timezone']!r}"
        )
    if role == "mentor" and not cell["contact"]:
        cell["contact"] = "email"
    return {
        **cell,
        "email": email,
        "role": role,
        "capacity": capacity if role == "mentor" else None,
        "interests": [i.strip() for i in cell["interests"].split(";") if i.strip()],
        "preferences": _preferences(row, email),
    }


def _preferences(row: dict[str, str | None], email: str) -> dict[str, Any]:
    """The optional matching columns of a row (only those given), or ValueError."""
    found: dict[str, Any] = {}
    for column in PREFERENCE_COLUMNS:
        text = (row.get(column) or "").strip()
        if not text:
            continue
        if column not in PREFERENCE_LISTS:
            found[column] = text
            continue
        items = [item.strip() for item in text.split(";") if item.strip()]
        if column in ("prefer", "avoid"):
            items = [item.lower() for item in items]
            bad = [item for item in items if not EMAIL.match(item) or not item.isascii()]
            if bad:
                raise ValueError(
                    f"{column} must list email addresses separated by ;, not {bad[0]!r}"
                )
            if email in items:
                raise ValueError(f"{column} names the person themselves")
        found[column] = items
    cohort = clean_text(row.get("cohort") or "")  # reports group people by it
    if cohort:
        found["cohort"] = cohort[:100]
    if set(found.get("prefer", ())) & set(found.get("avoid", ())):
        raise ValueError("the same address is in both prefer and avoid")
    return found


def _known_zone(name: str) -> bool:
    """Whether the system knows this time zone name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _confirmed_addresses(session: Session, program: Program) -> dict[str, Participant]:
    """Every address a participant of the program confirmed by link as theirs, to them."""
    people = session.scalars(select(Participant).where(Participant.program_id == program.id))
    return {address: person for person in people for address in person.other_emails or []}


def _upsert(
    session: Session,
    program: Program,
    values: dict[str, Any],
    report: ImportReport,
    confirmed: dict[str, Participant],
) -> None:
    """Create the participant, or update them if anything changed (keyed by email, or by an
    address they confirmed as theirs: the file then says mail goes there, and the address
    they had still counts as theirs)."""
    person = session.scalar(
        select(Participant).where(
            Participant.program_id == program.id, Participant.email == values["email"]
        )
    )
    moving = confirmed.pop(values["email"], None) if person is None else None
    if moving is not None:
        others = [a for a in moving.other_emails or [] if a != values["email"]]
        moving.other_emails, person = [*others, moving.email], moving
    if person is None:
        awaiting = values["role"] == "mentor" and approval_required(program)
        session.add(
            Participant(
                program_id=program.id, approval="awaiting" if awaiting else "approved", **values
            )
        )
        report.created += 1
        return
    changed = {k: v for k, v in values.items() if getattr(person, k) != v}
    for key, value in changed.items():
        setattr(person, key, value)
    if changed or moving is not None:
        report.updated += 1
    else:
        report.unchanged += 1


def approval_required(program: Program) -> bool:
    """Whether the program's new mentors wait for a coordinator's approval."""
    return (program.settings or {}).get("approval") == "required"


# --- the agreement and the end of term, kept in the program's settings ---


def end_of_term_settings(values: ProgramFile) -> dict[str, Any]:
    """The agreement's and the term end's keys as the settings store them (people.policy_of
    reads them back)."""
    return {
        "agreement": values.agreement,
        "agreement_remind_days": values.agreement_remind_days,
        "wrapup_days_before_end": values.wrapup_days_before_end,
        "continue_open": values.continue_ == "open",
        "next_term_end": values.next_term_end.isoformat() if values.next_term_end else None,
    }


# --- unmatched alerts, the welcome sequence, several mentors per mentee ---


def people_settings(values: ProgramFile, base_dir: Path | None) -> dict[str, Any]:
    """Those keys as the settings store them; welcome files become absolute paths."""
    steps = [
        {
            "day": step.day,
            "subject": step.subject,
            "file": str((base_dir / step.file).resolve()) if base_dir else step.file,
            "to": step.to,
            "when": step.when,
        }
        for step in values.welcome
    ]
    return {
        "unmatched_alert_days": values.unmatched_alert_days,
        "urgent_chase_days": values.urgent_chase_days,
        "max_matches_per_mentee": values.max_mentors_per_mentee,
        "orientation": list(values.orientation),
        "welcome_emails": values.welcome_emails,
        "welcome": steps,
    }
