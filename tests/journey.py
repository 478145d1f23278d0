"""A realistic term of the example program, through the service's own doors, so that every
email a person can receive is written at least once (the render test and `make emails`).

Each step is what a person would do: write to the program, reply to an email, press a
link, let ten days pass, have a coordinator re-import the people file. ``run`` returns
what people wrote, so checks can tell a quoted word from a cut one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from mentormail.service.models import OutboundMessage
from mentormail.service.programs import import_participants
from mentormail.service.sweep import sweep
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, Program, email, reply_to

SAM = "sam.rivera@student.example.edu"
JO = "jo.kim@student.example.edu"
MAYA = "maya.patel@student.example.edu"
ALEX = "alex.nguyen@student.example.edu"
PRIYA = "priya.shah@student.example.edu"
BEN = "ben.osei@student.example.edu"
ANA = "ana.lima@alumni.example.edu"
TOM = "tom.becker@alumni.example.edu"
GRACE = "grace.okafor@alumni.example.edu"
LI = "li.wei@alumni.example.edu"
STRANGER = "pat.stranger@gmail.example.com"
COORDINATOR = "coordinator@example.edu"
LI_AT_HOME = "li.wei.home@gmail.example.com"
OMAR = "omar.haddad@alumni.example.edu"
NIA = "nia.brooks@student.example.edu"
ROSA = "rosa.diaz@student.example.edu"  # year-a
KAI = "kai.moana@student.example.edu"  # year-a
LENA = "lena.fischer@student.example.edu"  # year-b

MORE_MENTEES = "".join(
    f"{row}\n"
    for row in (
        "maya.patel@student.example.edu,Maya Patel,mentee,,,Nursing,"
        "nurse practitioner;community health,,,Third-year nursing student.",
        "alex.nguyen@student.example.edu,Alex Nguyen,mentee,,,Finance,"
        "banking;software engineering,,,Exchange student.",
        "priya.shah@student.example.edu,Priya Shah,mentee,,,Economics,"
        "product management,,,Final-year student.",
        "ben.osei@student.example.edu,Ben Osei,mentee,,,Economics,"
        "startups;product management,,,Recent graduate.",
        "nia.brooks@student.example.edu,Nia Brooks,mentee,,,Computer Science,"
        "software engineering;fintech,,,Second-year student.",
        # Omar's address no longer exists: his request hard-bounces.
        "omar.haddad@alumni.example.edu,Omar Haddad,mentor,Marine Biologist,Environment,"
        "Marine Biology,ocean conservation;fieldwork,2,email,Works on coral reef surveys.",
        "rosa.diaz@student.example.edu,Rosa Diaz,mentee,,,Nursing,"
        "graduate school,,,Second-year nursing student.",
        "kai.moana@student.example.edu,Kai Moana,mentee,,,Nursing,"
        "clinical practice,,,First-year nursing student.",
        "lena.fischer@student.example.edu,Lena Fischer,mentee,,,Computer Science,"  # year-b
        "software engineering;interviewing,,,Junior developer at a start-up.",
    )
)
NAMES = {
    SAM: "Sam Rivera",
    JO: "Jo Kim",
    MAYA: "Maya Patel",
    ALEX: "Alex Nguyen",
    PRIYA: "Priya Shah",
    BEN: "Ben Osei",
    ANA: "Ana Lima",
    TOM: "Tom Becker",
    GRACE: "Grace Okafor",
    LI: "Li Wei",
    OMAR: "Omar Haddad",
    NIA: "Nia Brooks",
    ROSA: "Rosa Diaz",
    KAI: "Kai Moana",
    LENA: "Lena Fischer",
}
LONG_SEARCH = (
    "Looking for a mentor in data science or healthcare, ideally someone who moved into "
    "analytics from a clinical role"
)

# Templates the journey cannot reach yet, each with the reason. Keep it empty if you can.
UNREACHABLE: dict[str, str] = {}


def people_csv(tom_capacity: int = 2) -> str:
    """The example people plus four more mentees; Tom's capacity as the coordinator sets it."""
    text = (EXAMPLES / "participants.csv").read_text()
    text = text.replace(
        "Software Engineer,Finance,Computer Science,backend systems;interviewing,2,",
        f"Software Engineer,Finance,Computer Science,backend systems;interviewing,{tom_capacity},",
    )
    return text + MORE_MENTEES


@dataclass
class Journey:
    """Drives the program and remembers what people wrote."""

    program: Program
    said: list[str] = field(default_factory=list)

    def write(self, sender: str, words: str, subject: str = "Mentoring") -> None:
        """Someone writes to the program's address."""
        self.said.append(words)
        name = NAMES.get(sender, "Pat")
        self.program.deliver(email(f"{name} <{sender}>", PROGRAM_ADDRESS, words, subject=subject))

    def reply(self, row: OutboundMessage, words: str, sender: str | None = None) -> None:
        """Someone replies to one of our emails (from its recipient unless told otherwise)."""
        self.said.append(words)
        self.program.deliver(reply_to(row, sender or row.to_addr, words))

    def last(self, to: str, template: str) -> OutboundMessage:
        """The newest email of one kind to one person; fails if there is none."""
        rows = self.program.outbox(to=to, template=template)
        latest = self.program.last_to(to)
        assert rows, f"no {template} to {to}; last was {latest.template}:\n{latest.text}"
        return rows[-1]

    def press(self, row: OutboundMessage, link: str) -> None:
        """Open a one-time link and press its button."""
        self.program.get(row.links[link])
        self.program.post(row.links[link])

    def reimport(self, tom_capacity: int) -> None:
        """A coordinator imports the people file again, with a changed capacity."""
        services = self.program.services
        with services.unit_of_work() as session:
            from mentormail.service.models import Program as ProgramRow

            program = session.query(ProgramRow).one()
            report = import_participants(session, program, people_csv(tom_capacity))
            assert not report.errors, report.errors

    def remove(self, address: str) -> None:
        """A coordinator ends someone's participation."""
        from mentormail.service import membership
        from mentormail.service.models import Participant

        with self.program.services.unit() as uow:
            person = uow.session.query(Participant).filter_by(email=address).one()
            membership.remove(uow, person, "coordinator")
        self.program.work()

    def bounced(self, row: OutboundMessage) -> None:
        """A hard bounce for one of our emails arrives, quoting its Message-ID."""
        report = (
            f"From: MAILER-DAEMON@mx.example.edu\nTo: {row.reply_to}\n"
            "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <b1@mx.example.edu>\n"
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
            ' boundary="B"\n\n--B\nContent-Type: text/plain\n\nYour message could not be'
            " delivered.\n\n--B\nContent-Type: message/delivery-status\n\n"
            f"Reporting-MTA: dns; mx.example.edu\n\nFinal-Recipient: rfc822; {row.to_addr}\n"
            "Action: failed\nStatus: 5.1.1\n\n--B\nContent-Type: text/rfc822-headers\n\n"
            f"Message-ID: {row.message_id}\nTo: {row.to_addr}\n\n--B--\n"
        )
        self.program.deliver(report.encode())

    def term_end(self) -> date:
        """The last day of the program's term."""
        from mentormail.service.models import Program as ProgramRow

        with self.program.services.sessions() as session:
            return session.query(ProgramRow).one().term_end

    def until(self, day: date) -> None:
        """The clock moves on to 09:00 of ``day``, the sweep running every day on the way, as
        the clock process would (a pair's questions come days apart, not all at a jump's end)."""
        clock = self.program.services.clock
        target = datetime.combine(day, time(9))
        whole_days = int((target - clock.now()).total_seconds() // 86400)
        if whole_days > 0:
            self.days_pass(whole_days)
        clock.advance(seconds=(target - clock.now()).total_seconds())  # type: ignore[attr-defined]
        sweep(self.program.services)
        self.program.work()

    def agreements_on(self) -> None:
        """A coordinator sets ``agreement: true`` in the program file and loads it again."""
        from mentormail.service.models import Program as ProgramRow

        with self.program.services.unit_of_work() as session:
            row = session.query(ProgramRow).one()
            row.settings = {**row.settings, "agreement": True}

    def days_pass(self, days: int) -> None:
        """The clock moves on and the sweep runs each morning, as the clock process would
        (it runs every few minutes: what falls due between two mornings waits for the next)."""
        for _ in range(max(days, 1)):
            self.program.services.clock.advance(days=1 if days else 0)  # type: ignore[attr-defined]
            sweep(self.program.services)
            self.program.work()


def number_of(row: OutboundMessage, mentor_name: str) -> str:
    """The number a mentor has in a list email."""
    for line in row.text.splitlines():
        head, _, rest = line.partition(". ")
        if head.strip().isdigit() and rest.startswith(mentor_name):
            return head.strip()
    raise AssertionError(f"{mentor_name} is not in the list:\n{row.text}")


def ask(j: Journey, mentee: str, mentor_name: str, words: str) -> None:
    """A mentee searches and replies with the mentor's number."""
    j.write(mentee, words)
    listing = j.last(mentee, "mentor_list")
    j.reply(listing, number_of(listing, mentor_name))
    j.last(mentee, "request_sent")


def run(program: Program) -> list[str]:
    """The whole term; returns everything people wrote."""
    j = Journey(program)

    # Strangers, vague and long searches, searches that find nobody.
    j.write(STRANGER, "Hi, can I get a mentor in law?")
    j.write(SAM, "Hi, I'd like a mentor please")
    j.last(SAM, "tell_us_more")
    j.write(SAM, LONG_SEARCH)
    sams_list = j.last(SAM, "mentor_list")
    j.write(JO, "astrophysics and volcanology")
    nobody = " ".join(j.last(JO, "no_mentors_found").text.split())
    free = "work in Healthcare, Environment and Finance, among others; for example: Data Scientist"
    assert f"Try other words. Mentors with a free place right now {free}" in nobody

    # Sam names two mentors, is asked which, and asks Ana; then tries Grace too.
    j.reply(sams_list, "Ana or Grace both sound great")
    which = j.last(SAM, "which_mentor")
    j.reply(which, number_of(which, "Ana Lima"))
    to_ana_for_sam = j.last(ANA, "request_to_mentor")
    j.last(SAM, "request_sent")
    j.reply(sams_list, number_of(sams_list, "Grace Okafor"))
    j.last(SAM, "ask_refused_already_pending")

    # Ana asks a question; Sam answers it through the program.
    j.reply(to_ana_for_sam, "Can I ask what Sam hopes to do after graduating?")
    j.last(ANA, "did_you_mean")
    question = j.last(SAM, "question_from_mentor")
    j.reply(question, "I'd like to work in hospital analytics, thank you for asking!")
    j.last(ANA, "message_from_mentee")

    # Jo asks Ana too; Ana says yes to Sam and is full: Jo is released kindly.
    j.write(JO, "data science healthcare statistics")
    jos_list = j.last(JO, "mentor_list")
    j.reply(jos_list, number_of(jos_list, "Ana Lima"))
    to_ana_for_jo = j.last(ANA, "request_to_mentor")
    j.reply(to_ana_for_jo, "Can I think about it until next week?")
    j.last(JO, "request_more_time")
    j.reply(to_ana_for_sam, "Yes, happy to!")
    j.last(SAM, "intro_mentee")
    j.last(ANA, "intro_mentor")  # with the news that Ana is full
    j.last(JO, "request_released")
    j.reply(to_ana_for_jo, "Yes, of course")  # too late: that request is closed
    j.last(ANA, "request_already_closed")
    j.reply(sams_list, number_of(sams_list, "Tom Becker"))
    j.last(SAM, "ask_refused_already_matched")
    j.reply(jos_list, number_of(jos_list, "Ana Lima"))
    j.last(JO, "ask_refused_already_asked_this_mentor")

    # Maya asks Grace, who declines by link; she is offered others at once.
    j.write(MAYA, "nursing and graduate school")
    mayas_list = j.last(MAYA, "mentor_list")
    j.reply(mayas_list, number_of(mayas_list, "Grace Okafor"))
    j.press(j.last(GRACE, "request_to_mentor"), "decline")
    j.last(MAYA, "request_declined")
    j.last(GRACE, "decline_confirmed")

    # Alex looks around first (Tom is on the list) but does not ask yet.
    j.write(ALEX, "software engineering in finance")
    alexs_list = j.last(ALEX, "mentor_list")

    # Maya asks Tom, who never answers: reminded halfway and the day before, then after ten
    # days both hear, and Maya may ask others.
    ask(j, MAYA, "Tom Becker", "software engineering in finance")
    asked = " ".join(j.last(TOM, "request_to_mentor").text.split())
    assert "What Maya searched for: “software engineering in finance”" in asked  # not a note
    # Grace, who declined Maya, says yes after all; Maya has asked Tom since: nothing changes.
    j.reply(j.last(GRACE, "request_to_mentor"), "Yes, happy to!")
    j.last(GRACE, "yes_after_no")
    j.days_pass(5)
    assert "is waiting for your answer" in j.last(TOM, "request_reminder").subject
    j.days_pass(4)
    last_day = j.last(TOM, "request_reminder")
    assert last_day.subject.startswith("Last day to answer")
    last_words = " ".join(last_day.text.split())
    assert "closes tomorrow, " in last_words and "help them find another mentor" in last_words
    j.days_pass(2)
    j.last(MAYA, "request_expired")
    j.last(TOM, "request_expired_mentor")

    # Ben asks Tom; Tom pauses (Ben is told kindly); Alex's list is out of date now.
    ask(j, BEN, "Tom Becker", "software engineering in finance")
    j.reply(j.last(TOM, "request_to_mentor"), "pause")
    j.last(TOM, "paused_confirmed")
    j.last(BEN, "request_released")
    j.reply(alexs_list, number_of(alexs_list, "Tom Becker"))
    j.last(ALEX, "ask_refused_mentor_unavailable")
    j.reply(j.last(TOM, "paused_confirmed"), "available")
    j.last(TOM, "available_confirmed")

    # Jo asks Tom, who says yes; Alex asks Tom; the coordinator lowers Tom's capacity to
    # one; Tom says yes to Alex too, but is already full.
    ask(j, JO, "Tom Becker", "software engineering in finance")
    j.reply(j.last(TOM, "request_to_mentor"), "Yes, happy to help Jo")
    j.last(JO, "intro_mentee")
    j.reply(alexs_list, number_of(alexs_list, "Tom Becker"))
    to_tom_for_alex = j.last(TOM, "request_to_mentor")
    j.reimport(tom_capacity=1)
    j.press(to_tom_for_alex, "accept")
    j.press(j.last(TOM, "capacity_offer"), "raise_capacity")
    j.last(ALEX, "intro_mentee")

    # Priya asks Li, then leaves the program: Li need not answer.
    ask(j, PRIYA, "Li Wei", "product management")
    j.reply(j.last(PRIYA, "request_sent"), "Please stop emailing me")
    j.last(PRIYA, "left_program")
    j.last(LI, "request_withdrawn")

    # Ben asks Li; Li answers from a home address: nothing acts until Li confirms it.
    ask(j, BEN, "Li Wei", "startups and product management")
    j.reply(j.last(LI, "request_to_mentor"), "Yes, glad to!", sender=LI_AT_HOME)
    j.press(j.last(LI, "confirm_address"), "confirm")
    j.last(BEN, "intro_mentee")

    # Unclear mail and a problem report go to a person.
    j.write(GRACE, "Hello, just checking in about the spring schedule")
    j.last(GRACE, "could_not_read")
    j.reply(j.last(JO, "intro_mentee"), "I'd like to report a problem with my mentor")
    j.last(JO, "problem_reported")
    j.last("coordinator@example.edu", "coordinator_alert")

    # Jo leaves: Tom is told and his seat is free; a coordinator removes Alex.
    j.reply(j.last(JO, "problem_reported"), "stop")
    j.last(TOM, "partner_left")
    j.remove(ALEX)
    j.last(ALEX, "removed_from_program")

    year_a(j)

    # --- security: Grace (paused since she answered neither request) writes to the program
    # address, not as a reply, that she is available, then that she needs a pause after all:
    # anyone can write her From: line, so a link to her own address confirms each. Her third
    # email asks for what is true already: she is told nothing changed, with no link.
    j.write(GRACE, "I'm available again for mentees")
    j.press(j.last(GRACE, "confirm_change"), "confirm")
    j.last(GRACE, "available_confirmed")
    j.write(GRACE, "Please pause my requests for now")
    j.press(j.last(GRACE, "confirm_change"), "confirm")
    j.last(GRACE, "paused_confirmed")
    j.write(GRACE, "pause please")
    unchanged = j.last(GRACE, "change_already_made")
    assert "You're paused already (no new requests come to you)" in unchanged.text.replace(
        "\n", " "
    )

    # Maya asks Omar, whose address bounces: she is told at once, not in ten days.
    ask(j, MAYA, "Omar Haddad", "marine biology and ocean conservation")
    j.bounced(j.last(OMAR, "request_to_mentor"))
    j.last(MAYA, "request_undeliverable")

    coordinators_a(j)  # coord-a: proposals by the program, digest commands, approval
    announce_orientation(j)  # coord-b: an announcement to every mentee, in Markdown

    year_b(j)  # the year's endings, agreement and wrap-up, before the term's last days
    welcome_sequence(j)  # coord-c: newcomers get the welcome and training emails
    wish_where_coordinators_pair(j)

    # Near the term's end Nia asks Tom; he says yes after it ended: nothing starts.
    term_end = j.term_end()
    j.until(term_end - timedelta(days=2))
    j.write(NIA, "software engineering in fintech")
    nias_list = j.last(NIA, "mentor_list")
    j.reply(nias_list, number_of(nias_list, "Tom Becker"))
    sent = " ".join(j.last(NIA, "request_sent").text.split())
    assert "The program year ends that day, so if they don't answer by then, the request" in sent
    assert "free to ask someone else" not in sent  # no one can be asked after the term
    to_tom_for_nia = j.last(TOM, "request_to_mentor")
    asked_late = " ".join(to_tom_for_nia.text.split())
    ends = f"this program year ends on {term_end:%A %-d %B %Y}, in 2 days, so it would be a"
    assert ends in asked_late
    assert "about once a month" not in asked_late  # two days are no year of monthly meetings
    j.until(term_end)  # the last-day reminder goes on the morning the request and year close
    reminded = " ".join(j.last(TOM, "request_reminder").text.split())
    assert f"closes today, {term_end:%A %-d %B %Y}, when the program year ends." in reminded
    assert "tomorrow" not in reminded and "find another mentor" not in reminded
    j.until(term_end + timedelta(days=1))
    j.reply(to_tom_for_nia, "Yes, happy to")
    j.last(NIA, "request_term_ended")
    assert "nothing has changed" not in j.last(TOM, "request_term_ended").text
    j.reply(nias_list, number_of(nias_list, "Tom Becker"))  # she tries once more
    j.last(NIA, "ask_refused_term_ended")

    # The coordinator reads the weekly digest and acts by replying to it.
    digest = j.last(COORDINATOR, "digest")
    first_item = re.search(r"^#(\d+)", digest.text, re.M)
    assert first_item, digest.text
    assert_urgent_first_then_oldest(digest.text)
    j.reply(digest, f"done {first_item.group(1)}\npause {LI}\nremind everyone\nThanks!")
    j.last(COORDINATOR, "digest_confirmation")
    paused = j.last(LI, "paused_by_coordinators")  # Li did not ask: the email says who did
    assert paused.subject == "Your program's coordinators have paused new requests to you"
    assert "coordinators have paused new mentee requests to you" in " ".join(paused.text.split())
    assert "\n  I'm available: http" in paused.text
    j.reply(digest, f"resume {LI}")  # a second reply to the same digest: Li is back
    resumed = j.last(LI, "resumed_by_coordinators")
    assert "coordinators have made you available again" in " ".join(resumed.text.split())
    assert "\n  Pause new requests: http" in resumed.text
    after_term = " ".join(resumed.text.split())  # 1 July: the year is over
    assert "ended on Wednesday 30 June 2027, so no new requests come this year" in after_term
    assert "mentees can find you in searches" not in after_term

    year_b_conclusion(j)
    return j.said


def assert_urgent_first_then_oldest(digest: str) -> None:
    """The digest's open items are in the order its heading says: urgent, then by age."""
    assert "urgent first, then oldest" in digest
    needs_a_person = digest.split("For your information")[0]
    blocks = [" ".join(b.split()) for b in re.split(r"^(?=#\d+ )", needs_a_person, flags=re.M)]
    items = [
        (found.group(1), found.group(2))
        for block in blocks
        if (found := re.match(r"#\d+( URGENT)? — .*?, since \w+ (\d+ \w+)", block))
    ]
    assert len(items) == len(blocks) - 1  # every item found, once
    order = [(not urgent, datetime.strptime(f"{day} 2026", "%d %b %Y")) for urgent, day in items]
    assert len(order) > 5 and [u for u, _ in order] == sorted(u for u, _ in order)
    for urgent in (False, True):
        days = [d.replace(year=d.year + (d.month < 9)) for u, d in order if u is urgent]
        assert days == sorted(days), digest


def announce_orientation(j: Journey) -> None:
    """The coordinator announces an orientation evening to the mentees: one email each,
    with their own name and unsubscribe link (`mentormail announce --send`)."""
    from mentormail.service import announcements
    from mentormail.workflows.announcement import Audience

    day = j.program.services.now() + timedelta(days=14)
    markdown = (
        f"## Orientation evening\n\nJoin the other mentees on **{day:%A %-d %B}** at 18:00 in "
        "the [Alumni Hall](https://alumni.example.edu/hall): a short talk on making the most "
        "of a mentor, then time to talk.\n\n- bring a question you want answered\n"
        "- bring your calendar, to plan your next meetings\n"
    )
    j.said.append(markdown)
    words = announcements.Words(Audience.MENTEES, f"Orientation evening, {day:%A %-d %B}", markdown)
    announcements.send(j.program.services, "alumni-2026", words, "journey", lambda n: None)
    j.program.work()
    j.last(SAM, "announcement")


def year_a(j: Journey) -> None:
    """The year on the clock: a mentor who lets two requests expire, check-ins answered,
    unclear and missed, the unresponsive ladder, and a reply after the end."""
    # Rosa, then Kai, ask Grace, who answers neither: she is paused and asked, kindly.
    for mentee in (ROSA, KAI):
        ask(j, mentee, "Grace Okafor", "nursing and graduate school")
        j.days_pass(11)
        j.last(mentee, "request_expired")
    j.last(GRACE, "still_available")
    ask(j, ROSA, "Tom Becker", "software engineering in finance")
    j.reply(j.last(TOM, "request_to_mentor"), "Yes, glad to")
    j.last(ROSA, "intro_mentee")

    # A month on, each pair is asked whether they met, with an idea for their next talk.
    j.days_pass(8)
    j.reply(j.last(SAM, "checkin"), "MET on 2 November, we talked about internships")
    j.last(SAM, "met_logged")
    j.reply(j.last(ANA, "checkin"), "Not yet, sorry!")
    j.last(ANA, "not_yet_suggestion")
    j.reply(j.last(BEN, "checkin"), "Help, Li never writes back")
    j.last(BEN, "help_passed_on")
    j.reply(j.last(LI, "checkin"), "Hmm, sort of")
    j.last(LI, "checkin_did_you_mean")

    # Is this a good fit? It was due with the check-in and comes two days after it (one
    # question a morning). Sam says so; Ana is unsure how to put it, then clicks.
    j.days_pass(2)
    j.reply(j.last(SAM, "fit_check"), "Good fit, thank you!")
    j.last(SAM, "fit_thanks")
    j.reply(j.last(ANA, "fit_check"), "Hmm")
    j.press(j.last(ANA, "fit_did_you_mean"), "fit_deciding")
    j.last(ANA, "fit_thanks")

    # The early pulse, two days later still: Sam rates it 5, Ana clicks 2 (the coordinators
    # hear at once), Ben's answer has no number.
    j.days_pass(2)
    j.reply(j.last(SAM, "survey"), "5 - Ana is wonderful")
    j.last(SAM, "survey_thanks")
    j.press(j.last(ANA, "survey"), "pulse_2")
    j.reply(j.last(BEN, "survey"), "pretty good so far")
    j.last(BEN, "survey_did_you_mean")

    # Li answers none of the next ones: nudged after two, then Ben is asked and ends it.
    for _ in range(3):
        j.days_pass(30)
        j.reply(j.last(BEN, "checkin"), "Not yet")
        j.days_pass(4)  # a fit question or survey due with the check-in comes days after it
        midpoint = [
            r for r in j.program.outbox(to=SAM, template="survey") if "Halfway" in r.subject
        ]
        if midpoint and not j.program.outbox(template="survey_reminder"):
            j.days_pass(7)  # a week on: one reminder to whoever has not answered
            j.last(SAM, "survey_reminder")
    j.last(LI, "checkin_nudge")
    # Tom and Rosa are not a fit: it ends without fault, and Rosa is offered others.
    j.reply(j.last(TOM, "fit_check"), "Not a good fit, I'm afraid")
    assert j.last(TOM, "not_a_fit_confirmed").subject == "Your mentorship with Rosa Diaz has ended"
    j.last(ROSA, "ended_not_a_fit")
    j.days_pass(30)
    j.reply(j.last(BEN, "checkin_partner_silent"), "END")
    told_li = " ".join(j.last(LI, "ended_unresponsive").text.split())
    assert "We've paused new requests to you for now, so no new mentee waits on you" in told_li
    assert "Your place is free again" not in told_li  # Li is not offered to mentees now
    assert j.last(BEN, "unresponsive_ended").subject == "Your mentorship with Li Wei has ended"
    j.reply(j.last(LI, "checkin"), "MET")
    j.last(LI, "match_already_ended")
    j.write(LI, "available")  # Li is back; mentees can find him again
    j.press(j.last(LI, "confirm_change"), "confirm")  # a fresh email, not a reply: confirmed
    j.last(LI, "available_confirmed")
    j.reply(j.last(SAM, "survey_reminder"), "4, we meet every month")


# --- year-b: endings, never ghosting; the end of term; the agreement; conduct ---------------


# --- coord-a: matching by the program, the coordinators' commands, approval ---------------

ZOE = "zoe.hart@student.example.edu"
IVY = "ivy.moss@student.example.edu"
KEN = "ken.ito@alumni.example.edu"
LUZ = "luz.ortega@alumni.example.edu"
EVA = "eva.stone@alumni.example.edu"
PAT = "pat.lee@gmail.example.com"  # writes in asking to mentor
ROBOTICS_PEOPLE = (
    "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"
    f"{ZOE},Zoe Hart,mentee,,,Mechanical Engineering,robotics;embedded systems,,,Third year.\n"
    f"{IVY},Ivy Moss,mentee,,,Physics,robotics,,,Second year.\n"
    f"{KEN},Ken Ito,mentor,Robotics Engineer,Manufacturing,Mechanical Engineering,"
    "robotics;embedded systems,1,email,Builds factory robots.\n"
    f"{LUZ},Luz Ortega,mentor,Robotics Engineer,Automotive,Electrical Engineering,"
    "robotics;embedded systems,1,email,Designs robot controllers.\n"
)
EVA_ROW = (
    "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"
    f"{EVA},Eva Stone,mentor,Architect,Construction,Architecture,urban design,1,email,Designs"
    " schools.\n"
)


def coordinators_a(j: Journey) -> None:
    """The coordinators propose pairs (double opt-in), act on a digest, approve a mentor."""
    from mentormail.service import coordinator_commands, digest
    from mentormail.service.models import Participant
    from mentormail.service.models import Program as ProgramRow

    services = j.program.services
    with services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        assert not import_participants(session, row, ROBOTICS_PEOPLE).errors

    def command(act: object) -> None:
        with services.unit() as uow:
            program = uow.session.query(ProgramRow).one()
            said, done = act(uow, program)  # type: ignore[operator]
            assert done, said
        j.program.work()

    # Zoe and Ken are proposed to each other; Zoe is unsure, then says yes by link; Ken says
    # no, so Zoe's next best still free, Luz, is proposed; both say yes and are introduced.
    command(lambda uow, p: coordinator_commands.match(uow, p, COORDINATOR, ZOE, KEN))
    j.reply(j.last(ZOE, "proposal_to_mentee"), "Maybe, can I think about it")
    j.press(j.last(ZOE, "proposal_did_you_mean"), "proposal_yes")
    j.last(ZOE, "proposal_waiting")
    j.reply(j.last(KEN, "proposal_to_mentor"), "Sorry, I can't this term")
    j.last(KEN, "proposal_no_noted")
    j.last(ZOE, "proposal_not_going_ahead")
    j.reply(j.last(ZOE, "proposal_to_mentee"), "Yes please!")
    j.press(j.last(LUZ, "proposal_to_mentor"), "proposal_yes")
    j.last(ZOE, "intro_mentee")

    # Ivy and Ken are proposed; nobody answers in time: both hear, and no one else fits.
    command(lambda uow, p: coordinator_commands.match(uow, p, COORDINATOR, IVY, KEN))
    j.days_pass(11)
    expired = " ".join(j.last(IVY, "proposal_expired").text.split())
    assert "the time to answer has passed before we heard from both of you" in expired
    none_left = " ".join(j.last(IVY, "proposal_none_left").text.split())
    assert "no other mentor free right now is a good fit" in none_left  # Ivy asked for nothing

    # The program now approves its mentors: Eva waits; Zoe asks a question, then reports a
    # problem. From a digest sent now, the coordinator reminds Zoe about the question (a
    # reminder is refused for the problem: it needs a person), ends the match, approves Eva.
    with services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "approval": "required"}
        assert not import_participants(session, row, EVA_ROW).errors
    j.write(PAT, "Hello, I'd like to become a mentor in your program")
    j.reply(j.last(PAT, "join_questions"), "Name: Pat Lee\nProfession: Epidemiologist")
    j.reply(
        j.last(PAT, "join_questions"),
        "Name: Pat Lee\nProfession: Epidemiologist\nTopics: outbreak data; public health",
    )
    j.last(PAT, "join_received")
    j.write(ZOE, "Hello, when are the spring events for mentees?")
    j.reply(j.last(ZOE, "intro_mentee"), "I'd like to report a problem with my mentor")
    with services.unit() as uow:
        program = uow.session.query(ProgramRow).one()
        digest.send(uow, program, uow.now - timedelta(days=7), uow.now)
    j.program.work()
    now_digest = j.last(COORDINATOR, "digest")
    assert "Mentors awaiting approval (2)" in now_digest.text, now_digest.text
    with services.sessions() as session:
        zoe = session.query(Participant).filter_by(email=ZOE).one()
        from mentormail.service.models import Attention

        items = session.query(Attention).filter_by(participant_id=zoe.id).all()
        question = next(i.id for i in items if not i.urgent)
        item = next(i.id for i in items if i.urgent)
        silent = session.query(Attention).filter(
            Attention.reason.startswith("the mentor has not answered"),
            Attention.resolved.is_(False),
        )
        quiet_one = silent.order_by(Attention.id).first()
        assert quiet_one is not None
        their_call = session.query(Attention).filter(  # the quiet one's own 2/5, still open
            Attention.participant_id == quiet_one.participant_id,
            Attention.urgent.is_(True),
            Attention.resolved.is_(False),
        )
        call = their_call.one().id
    j.reply(
        now_digest,
        f"remind {question}\nremind {quiet_one.id}\nremind {item}\nend {item} a conflict of"
        f" interest\napprove {EVA}\ndone {call}\nremind {quiet_one.id}",
    )
    said = " ".join(j.last(COORDINATOR, "digest_confirmation").text.split())
    assert f"#{question}: their message needs an answer, not a reminder" in said, said
    assert f"#{item}: urgent: it needs a person, not a reminder; no one reminded" in said, said
    # The quiet mentor is Ana, whose own 2/5 still waits on a coordinator: no nudge for her,
    # until that is done.
    refused = f"#{quiet_one.id}: no one reminded; Ana Lima not reminded: their own #{call} is"
    assert refused in said, said
    assert f"#{quiet_one.id}: reminded Ana Lima" in said, said
    assert f"#{item} is done" in said, said
    j.last(LUZ, "match_ended_by_coordinators")
    j.last(EVA, "approval_given")
    with services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "approval": "open"}


def year_b(j: Journey) -> None:
    """The year's endings and its end of term, after the first weeks above."""
    # Maya asks Li, who says yes; months later Maya ends it in her own words, and a later
    # reply about it changes nothing.
    ask(j, MAYA, "Li Wei", "startups and product management")
    j.reply(j.last(LI, "request_to_mentor"), "Yes, happy to")
    j.reply(j.last(MAYA, "intro_mentee"), "I'd like to end the mentorship")
    which = j.last(MAYA, "ending_which")
    j.reply(which, "4")
    preview = " ".join(j.last(MAYA, "ending_preview").text.split())
    assert "you're free to ask for a new mentor whenever you like" in preview
    assert "your place in the program is free again" not in preview  # a mentor's words
    j.reply(
        j.last(MAYA, "ending_preview"),
        "Dear Li, I've started a full-time job and can't keep up our meetings. Thank you for"
        " your help with my pitch deck!",
    )
    j.press(j.last(MAYA, "ending_preview"), "end_send")
    j.last(LI, "ending_message")
    j.last(MAYA, "ending_sent")
    j.reply(which, "2")
    j.last(MAYA, "match_already_ended")

    # The coordinators turn on the Mentoring Agreement. Lena asks Tom, who says yes; Lena is
    # asked for goals, reminded two weeks later, drafts them; Tom is unsure, then agrees.
    j.agreements_on()
    j.reimport(tom_capacity=2)
    ask(j, LENA, "Tom Becker", "software engineering interviewing")
    j.reply(j.last(TOM, "request_to_mentor"), "Yes, gladly")
    j.days_pass(0)
    j.reply(j.last(LENA, "agreement_ask"), "Hi Tom!")
    j.days_pass(15)
    j.reply(
        j.last(LENA, "agreement_reminder"),
        "Hi Tom, here are my goals:\n"
        "- Pass a technical interview at a bank - two mock interviews with you by 20 May\n"
        "- Learn how payment systems are designed: read and discuss two design docs\n\n"
        "Thanks, Lena",
    )
    j.reply(j.last(TOM, "agreement_draft"), "Will do")
    j.press(j.last(TOM, "agreement_draft"), "agreement_approve")
    j.last("coordinator@example.edu", "agreement_agreed")
    j.until(date(2027, 5, 13))
    j.last(LENA, "agreement_goal_nudge")

    # Three weeks before the term ends, Sam and Ana are asked; Sam is unsure, then would go
    # on, Ana wraps up: at the end each says what they achieved, copied to the coordinators.
    j.until(date(2027, 6, 9))
    j.reply(j.last(SAM, "wrapup_question"), "Hmm, I'm not sure yet")
    j.reply(j.last(SAM, "wrapup_question"), "Yes, I'd like to continue")
    j.last(SAM, "wrapup_noted")
    j.press(j.last(ANA, "wrapup_question"), "wrapup_end")
    j.reply(j.last(LENA, "wrapup_question"), "continue")
    asked_tom = " ".join(j.last(TOM, "wrapup_question").text.split())
    assert "continue past the end of term, until Friday 30 June 2028?" in asked_tom  # how long
    assert "goes on until Friday 30 June 2028;" in asked_tom
    j.press(j.last(TOM, "wrapup_question"), "wrapup_continue")
    j.last(LENA, "match_extended")


def year_b_conclusion(j: Journey) -> None:
    """After the term's last day: Sam and Ana say what they achieved."""
    j.reply(
        j.last(SAM, "conclusion_question"),
        "I finished my capstone on readmission data and got an internship offer.\n\n"
        "Next steps: a master's in health informatics; yes, a new mentor would help.",
    )
    j.last(SAM, "conclusion_thanks")
    to_ana = j.last(ANA, "conclusion_question")
    j.reply(to_ana, "Sam learned to present results with confidence.")
    j.press(to_ana, "mentor_again_yes")
    j.last("coordinator@example.edu", "conclusion_to_coordinators")


# --- coord-c: the welcome and training sequence of newcomers -------------------------------

NEWCOMERS = (
    "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"
    "omar.haddad@student.example.edu,Omar Haddad,mentee,,,Economics,policy;investing,,,\n"
    "rosa.diaz@alumni.example.edu,Rosa Diaz,mentor,Economist,Government,Economics,"
    "policy,2,email,Rosa advises a city council on its budget.\n"
)


def welcome_sequence(j: Journey) -> None:
    """The coordinators turn the welcome emails on, with an orientation date and their own
    day-14 email; two newcomers join and get day 0, 3, 7 and 14."""
    from mentormail.service.models import Program as ProgramRow

    with j.program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        orientation = (j.program.services.clock.now() + timedelta(days=5)).date()
        row.settings = {
            **row.settings,
            "welcome_emails": True,
            "orientation": [f"{orientation:%A %-d %B %Y}, 18:00, Zoom (link in the invitation)"],
            "welcome": [
                {
                    "day": 14,
                    "subject": "Two weeks in: a coffee morning",
                    "file": str(EXAMPLES / "welcome-first-month.md"),
                }
            ],
        }
        report = import_participants(session, row, NEWCOMERS)
        assert not report.errors, report.errors
    for days in (0, 3, 4, 7):
        j.days_pass(days)
    for to in ("omar.haddad@student.example.edu", "rosa.diaz@alumni.example.edu"):
        for template in ("welcome_day0", "welcome_day3", "welcome_day7", "welcome_own"):
            j.last(to, template)


def _id(session: Any, email: str) -> int:
    """A participant's id by address."""
    from mentormail.service.models import Participant

    return int(session.query(Participant).filter_by(email=email).one().id)


def wish_where_coordinators_pair(j: Journey) -> None:
    """For a while the coordinators make every pair (``matching: coordinator``): a newcomer's
    wish for a mentor goes to them, and he is told what happens next."""
    from mentormail.service.models import Program as ProgramRow

    omar = "omar.haddad@student.example.edu"

    def matching(who: str) -> None:
        with j.program.services.unit_of_work() as session:
            row = session.query(ProgramRow).one()
            row.settings = {**row.settings, "matching": who}

    j.write(omar, "backend systems")  # while mentees still search: a list with links
    listing = j.last(omar, "mentor_list")
    matching("coordinator")
    j.write(omar, "Hi, I'd love a mentor who works in renewable energy.")
    told = j.last(omar, "wish_for_pairing")
    assert "we've passed your message to them" in told.text.replace("\n", " ")
    j.reply(listing, "1")  # the old list's answer no longer asks anyone: the wish is theirs
    refused = " ".join(j.last(omar, "ask_refused_coordinators_pair").text.split())
    assert "coordinators now pair each mentee with a mentor themselves" in refused
    assert "we haven't sent your request" in refused
    with j.program.services.unit_of_work() as session:
        from mentormail.service.models import Attention, MentorshipRequest

        assert not session.query(MentorshipRequest).filter_by(mentee_id=_id(session, omar)).all()
        wishes = [a.reason for a in session.query(Attention) if "as a mentor" in a.reason]
        assert wishes and wishes[-1].startswith("Omar")
    matching("self")
