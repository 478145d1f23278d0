"""The people of `mentormail demo` (examples/demo/participants.csv) and how each answers the
mail they receive: in their own words and languages, some late, some never."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

COORDINATOR = "coordinator@riverside.example.edu"
SAM = "sam.rivera@student.example.edu"
LUCIA = "lucia.fernandez@student.example.edu"
CAMILLE = "camille.martin@student.example.edu"
MATEUS = "mateus.souza@student.example.edu"
ANA = "ana.lima@alumni.example.edu"
TOM = "tom.becker@alumni.example.edu"
GRACE = "grace.okafor@alumni.example.edu"
LI = "li.wei@alumni.example.edu"


@dataclass(frozen=True)
class Act:
    """One answer to one email: words replied, or a link clicked (by its name), after a while.

    ``pick`` names a mentor whose number in the list is put before the words; ``{met}`` in
    the words is a day five days back ("3 November")."""

    words: str = ""
    link: str = ""
    pick: str = ""
    after: timedelta = timedelta(hours=3)


Answer = Act | tuple[Act, ...] | None
NINE_QUIET_WEEKS: list[Answer] = [None] * 9  # digests read and left alone
REPEATED = frozenset({"checkin"})  # the same answer each month once a person's list runs out


def reply(words: str, hours: float = 3, pick: str = "") -> Act:
    """A reply in the person's words, ``hours`` after the email arrived."""
    return Act(words=words, pick=pick, after=timedelta(hours=hours))


def click(link: str, hours: float = 2) -> Act:
    """A click on the email's link called ``link``, ``hours`` after it arrived."""
    return Act(link=link, after=timedelta(hours=hours))


@dataclass(frozen=True)
class Person:
    """How one person answers each kind of email, the n-th time they receive it."""

    plan: dict[str, list[Answer]]

    def acts(self, template: str, count: int) -> tuple[Act, ...]:
        """What they do with their ``count``-th email of ``template``: nothing past the end of
        its list, except that check-ins keep getting the last answer."""
        answers = self.plan.get(template, [])
        if count >= len(answers) and template not in REPEATED:
            return ()
        answer = answers[min(count, len(answers) - 1)] if answers else None
        if answer is None:
            return ()
        return answer if isinstance(answer, tuple) else (answer,)


# Each mentee's first email to the program: when, who, subject, words.
FIRST_MAIL: list[tuple[datetime, str, str, str]] = [
    (
        datetime(2026, 9, 15, 10, 12),
        SAM,
        "Looking for a mentor",
        "Hi! I'm looking for a mentor in data science and public health.\n\nThanks, Sam",
    ),
    (
        datetime(2026, 9, 16, 18, 40),
        LUCIA,
        "Busco mentor",
        "Hola, busco un mentor en backend systems para finance. ¡Gracias!\nLucía",
    ),
    (
        datetime(2026, 9, 17, 8, 55),
        CAMILLE,
        "Recherche d'un mentor",
        "Bonjour, je cherche un mentor en clinical practice et graduate school.\nCamille",
    ),
    (
        datetime(2026, 9, 18, 12, 5),
        MATEUS,
        "Mentor",
        "Olá! Procuro um mentor em product management ou startups.\nMateus",
    ),
]

CAST: dict[str, Person] = {
    # The coordinator reads the weekly digest and, once, acts on it by replying.
    COORDINATOR: Person(
        {
            "digest": [
                *NINE_QUIET_WEEKS,
                reply("done 1\nnote 2 Called Lucía; I'll write to Tom too.\nThanks!", 26),
            ]
        }
    ),
    # Sam answers everything, in English, within hours; would go on next year.
    SAM: Person(
        {
            "mentor_list": [reply("{pick}, please! Ana sounds perfect.", 2, pick="Ana Lima")],
            "agreement_ask": [
                reply(
                    "Hi Ana, here are my goals:\n"
                    "- Build a portfolio project on hospital readmissions - by 15 January\n"
                    "- Practise explaining results to clinicians: present my capstone to you\n"
                    "- Apply to three summer internships by March 2027\n\nThanks, Sam",
                    20,
                )
            ],
            "checkin": [
                reply("MET on {met} - we went through my CV, very useful.", 4),
                reply("MET on {met}, Ana reviewed my portfolio project.", 30),
                reply("Not yet - exams this month, we'll meet in January.", 6),
                reply("MET on {met}. We did a mock interview!", 5),
            ],
            "fit_check": [reply("Good fit, thank you!", 5)],
            "survey": [reply("5 - Ana is wonderful", 3), reply("5 - we meet every month", 50)],
            "wrapup_question": [reply("Yes, I'd like to continue next year!", 4)],
        }
    ),
    # Ana answers by link as often as by reply; late to one check-in.
    ANA: Person(
        {
            "request_to_mentor": [reply("Yes, happy to!", 5)],
            "agreement_draft": [
                reply("Looks good! See you on Thursday.", 8),  # more than "looks good": asked
                click("agreement_approve", 1),
            ],
            "checkin": [
                click("met", 2),
                reply("Not yet, sorry! Sam has exams; January.", 100),
                click("met", 3),
            ],
            "checkin_did_you_mean": [click("not_yet", 1)],
            "fit_check": [click("fit_good", 1)],
            "survey": [click("pulse_4", 6), click("midpoint_5", 6)],
            "wrapup_question": [click("wrapup_continue", 30)],
        }
    ),
    # Lucía writes in Spanish; her mentor Tom goes quiet, so she asks for help, then ends it.
    LUCIA: Person(
        {
            "mentor_list": [reply("{pick}, por favor.", 1, pick="Tom Becker")],
            "agreement_ask": [
                reply(
                    "Hola Tom, mis objetivos:\n"
                    "- Learn how payment systems are designed: read two design docs with you\n"
                    "- Pass a technical interview at a bank by 30 April\n\nLucía",
                    26,
                )
            ],
            "checkin": [
                reply("Todavía no.", 4),
                reply("HELP - Tom no me contesta desde octubre.", 2),
                reply("Todavía no.", 8),
            ],
            "fit_check": [reply("Still deciding - Tom is very busy.", 6)],
            "survey": [reply("3 - todavía no nos hemos visto", 10)],  # "tres", "no": asked
            "survey_did_you_mean": [click("pulse_3", 1)],
            "checkin_partner_silent": [click("end_silent", 20)],
        }
    ),
    # Tom accepts by link, then never answers anything again.
    TOM: Person({"request_to_mentor": [click("accept", 22)]}),
    # Camille writes in French; a new job abroad ends her mentorship early, in her own words.
    CAMILLE: Person(
        {
            "mentor_list": [reply("{pick} s'il vous plaît !", 3, pick="Grace Okafor")],
            "agreement_ask": [
                reply(
                    "Bonjour Grace, mes objectifs :\n"
                    "- Shadow a clinic day with you by 15 December\n"
                    "- Choose a nurse practitioner programme to apply to\n\nCamille",
                    12,
                )
            ],
            "checkin": [
                reply("Oui, on s'est vues la semaine dernière, super échange sur les études.", 5),
                reply("Pas encore, désolée.", 9),
                reply("Oui, on s'est vues à la clinique !", 7),
                reply("Je voudrais terminer le mentorat.", 20),
            ],
            "fit_check": [reply("Oui, ça se passe très bien.", 4)],
            "fit_did_you_mean": [click("fit_good", 1)],
            "survey": [reply("2 - on n'arrive pas à trouver un créneau", 8)],
            "ending_which": [reply("4", 1)],
            "ending_preview": [
                reply(
                    "Chère Grace, j'ai accepté un poste à Lyon et je ne pourrai plus venir à "
                    "nos rendez-vous. Merci infiniment pour la journée à la clinique !\nCamille",
                    2,
                ),
                click("end_send", 1),
            ],
        }
    ),
    # Grace is busy: she answers, but often days later.
    GRACE: Person(
        {
            "request_to_mentor": [reply("Yes, I'd be glad to mentor Camille.", 6)],
            "agreement_draft": [click("agreement_approve", 48)],
            "checkin": [
                reply("MET on {met}", 70),
                None,
                reply("Met on {met}, Camille shadowed a clinic day.", 30),
            ],
            "fit_check": [reply("Going really well.", 190)],
            "survey": [reply("4", 120)],
        }
    ),
    # Mateus writes in Portuguese, answers the goals only after the reminder, skips surveys.
    MATEUS: Person(
        {
            "mentor_list": [reply("{pick}, obrigado!", 4, pick="Li Wei")],
            "agreement_reminder": [
                reply(
                    "Olá Li, desculpe a demora! Os meus objetivos:\n"
                    "- Write a product spec for a small feature by 31 January\n"
                    "- Do two informational interviews with product managers\n\nMateus",
                    30,
                )
            ],
            "checkin": [
                reply("Ainda não, estamos a marcar uma data.", 12),
                reply("MET on {met} - falámos sobre product discovery.", 6),
            ],
            "fit_check": [reply("Combinamos muito bem!", 9)],
            "fit_did_you_mean": [click("fit_good", 2)],
            "survey_reminder": [reply("4, obrigado!", 40)],
            "survey_did_you_mean": [click("midpoint_4", 3)],
            "wrapup_question": [reply("Sim, quero continuar!", 5)],
            "conclusion_question": [
                reply(
                    "Escrevi a minha primeira spec de produto e consegui um estágio.\n\n"
                    "Next steps: um estágio de verão em product; yes, a new mentor would help.",
                    20,
                )
            ],
        }
    ),
    # Li answers the request only after the reminder; wraps up at the end of the term.
    LI: Person(
        {
            "request_reminder": [reply("好的，我很乐意！Sorry for the late reply.", 4)],
            "agreement_draft": [click("agreement_approve", 4)],
            "checkin": [reply("MET on {met} - 我们聊了职业规划。", 10)],
            "fit_check": [reply("Good fit", 3)],
            "survey": [reply("5 非常有帮助", 16), reply("4", 200)],
            "wrapup_question": [reply("我们结束吧，这一年很棒。", 10)],
            "conclusion_question": [
                (
                    reply("Mateus learned to write clear product specs and to interview users.", 6),
                    click("mentor_again_yes", 7),
                )
            ],
        }
    ),
}
