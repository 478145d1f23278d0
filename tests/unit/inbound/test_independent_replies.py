"""The reader on replies its rules were never shown (tests/fixtures/independent_replies).

Figures are printed per context and language at the end of the run (see conftest.py).
The held-back part is only ever reported in aggregate: no per-item output.

History. BASELINE (before any rule was changed for this set), dev part r1+r2: intent 66.8%,
44 wrong actions. The third round (r3, 134 dev + 66 held) arrived later: on it, the rules
as they then were read 66.4% right with 18 wrong actions. The reader became the rules plus
a second opinion that can only veto (intent_model). The first held-back part (held_r1..3,
198 items) was scored three times, in aggregate only: 60.6% / 14 wrong actions, 61.6% / 13,
60.6% / 10. Three looks spend a held-back part, so it was DEMOTED to development
(dev_h1..3, each its own round in scripts/intent_cv.py): the development part is now 600
replies, and rules were then written for the kinds of reply it shows (clauses, conditions,
mixed time, withdrawals, answer words). Measured on it: in-sample (rules and model both
shaped on it) INTENT_FLOOR["dev"] below; cross-validated by round (the model never fitted
on the fold it scores; the rules were written seeing every fold, so this is not a figure
for unseen replies) CROSS_VALIDATED_FLOOR below; README "How replies are understood".
A NEW held-back part (held_r4a/held_r4b, 320 replies written on 2026-12-02 by two people
who never saw the rules, the code or the other data) was added after those rule changes and
scored once, in aggregate: 66.6% intent, 21 wrong actions, 146 asks. The rules fitted the
development part (91.3% there) far better than they generalise: the issue's targets are not
met. After two later changes for the year (END in six languages; a rating then praise): 66.6%, 20
wrong actions.
A SECOND new held-back part (held_r6a..d, 300 replies written on 2026-12-02 by four more
people who saw only tests/fixtures/independent_replies/WRITER_BRIEF.md) was scored once on
arrival, in aggregate, with the reader as it then was: 71.3% intent, 11 wrong actions, 138
asks. Both held parts together (620): 68.9%, 31 wrong actions, 285 asks. (At the same time
600 new development replies, dev_r5a..d, scored on their first look 68.5%, 25 wrong.)
This part stays held back: later rule changes are measured on it in aggregate only.
ROUND 5 (dev_r5a..d, 600 replies by four more writers who never saw the code) arrived
on 2026-12-02 and was scored once with the reader as it then was (the model fitted without
it): 69.2% intent, 24 wrong actions, 267 asks (the rules alone: 72.7%, 80 wrong). It is
development data now: rules were written for the kinds it showed (an if-clause on a yes, a
context's answer beside pause/stop, a general question, "no, ask me again in February",
"met once, but not since", leaving said in more ways), the search reply reads the list it
answers, and the model learns from it. The development part is 1,200 replies.
On round 5's first look, 20 of the 24 wrong actions were replies of 16 to 40 words, so a
reply of more than 15 words now acts only when the second opinion gives the rules' intent
at least 0.7 (intent.vetoed_confidence). With that, in aggregate: held_r4 (320, looked at
three times now) 65.9% intent, 3 wrong actions, 181 asks (was 66.6%, 20, 146); held_r6
(300, its second look, the first since these changes) 60.7%, 0 wrong actions, 189 asks (was
71.3%, 11, 138). Both (620): 63.4%, 3 wrong actions, 370 asks. A threshold of 0.92 would
leave no wrong action on either part but act on only a third of the replies (34%).
TRIED AND UNDONE, 2026-12-02: a long reply that answers in its first words and then only
tells (every strong signal of one kind, the first within three words, none after the first
sentence, no question) needed 0.3 instead of 0.7. On development data it looked free:
cross-validated by round 68.9% correct, 1 wrong action, 607 asks (was 65.6%, 1, 647). On
both held parts, in aggregate (held_r4's fifth look, held_r6's third), with round 7 below
in the model: 68.7% intent, 7 wrong actions, 330 asks; without it 64.2%, 3 wrong, 365 asks.
Four more wrong actions for 4.5 points: undone, since the target is no wrong action.
ROUND 7 (dev_r7a/dev_r7b, 300 replies by two more writers who never saw the code) arrived
on 2026-12-02 at 17:11 and was scored once on arrival, before anything was changed for it,
with the shipped model (not fitted on it): 56.7% intent, 2 wrong actions, 192 asks. It is
development data now (a round each in scripts/intent_cv.py; the model learns from it), and
one rule was written for a kind it shows in common with rounds 3 and 5: a check-in that
asks whether a call counts as meeting asks. The development part is 1,500 replies.
A THIRD new held-back part (held_r8a/held_r8b, 160 replies written on 2026-12-02 at 18:15 by
two more writers who saw only the brief: a Nordic/Dutch company's graduates, a Latin
American and Iberian women-in-science network) was scored once on arrival, in aggregate,
with the reader as shipped (no rule or model choice was made with it): 56.9% intent, 3 wrong
actions, 105 asks. All three held parts (780 of 2,280): 62.7%, 6 wrong actions, 470 asks.
LABELS WEIGHED ALIKE, 2026-12-02 20:15: the second opinion weighs each label alike in its fit
(intent_model.BALANCE): unweighted, it vetoed the rare intents (available, pause, a problem
reported) for their rarity. Cross-validated by round 66.9% correct, 2 wrong, 794 asks (was
63.9%, 3, 837); rounds 5 and 7 read by the rules they arrived to (1c85980, 9c298be), the model
fitted without the round: 63.0% / 3 / 337 and 58.3% / 1 / 189 (was 60.8% / 3 / 350 and
56.0% / 2 / 194); in-sample 81.2%, 0 wrong, 583 asks (was 81.8%, 0, 574). Then four kinds,
each said so in several rounds: being back in each language is available; "not this term, try
me again next year" declines the request (also: pause); mail with no context that only ends or
only has not met yet says so; "met in October but not since" to "since 1 November?" is not yet.
With them: in-sample 82.9%, 0 wrong, 557 asks; CV by round 67.9%, 2 wrong, 780 asks. First
looks are replayed by scripts/intent_first_look.py. Then scored on the three held parts, in
aggregate (held_r4's sixth look, held_r6's fourth, held_r8's second; no choice was made with
them): held_r4+r6 66.6%, 3 wrong actions, 350 asks (was 64.2%, 3, 365); held_r8 60.6%, 3, 99
(was 56.9%, 3, 105).
A FOURTH new held-back part (held_r9a/held_r9b, 160 replies written on 2026-12-02 at 19:57-20:33
by two more writers who saw only the brief: a Sino-British university's alumni in Ningbo,
Shanghai and Hong Kong with a Quebec/Belgian nursing school; a Bavarian/Austrian engineering
firm's apprentices with a Brazilian/Portuguese teachers' network) was written while those
changes were made and scored once on arrival, in aggregate, after them: 57.5% intent, 1 wrong
action, 105 asks (the reader before them, 1f61c92, on the same: 55.0%, 0, 110). All four held
parts (940 of 2,440): 64.0%, 7 wrong actions, 554 asks.

A FIFTH new held-back part (held_r10a/held_r10b, 160 replies written on 2026-12-03 at 05:35-05:42
by two more writers who saw only the brief: a Mexican/Chilean business school's alumni with a
Swiss pharma company in Basel and Geneva; a Singapore/Taipei semiconductor company with a
Portuguese/Mozambican university network) was scored once on arrival, in aggregate, with the
reader as it was (399648f): 61.3% intent, 1 wrong action, 98 asks. All five held parts (1,100
of 2,600): 63.6%, 8 wrong actions, 652 asks.

NAMES AS ONE MARK AND THE SENTENCE THAT ANSWERS, 2026-12-03 (intent_names; intent.
answering_sentence): people's names and numbers of 2+ digits are marks to the second opinion,
in training and reading; a long reply whose answer is one sentence of <= 15 words acts when
the model gives that sentence 0.92. Dev in-sample 83.5%, 0 wrong, 549 asks (was 82.9, 0,
557); CV by round 69.1%, 2 wrong, 762 asks (was 67.9, 2, 780). The held-back part was not
scored by this change's author (the coordinator runs it). Then three kinds: the request's
buttons in each language as answer words, a one-word answer under a greeting line, a "no"
negating the ending after it: in-sample 83.7%, 0, 546; CV by round 69.5%, 2, 756. Then a
reason to end denied is a continue, and a typo of an answer word in a reply of <= 4 words is
mended: in-sample 84.1%, 0, 539; CV by round 69.9%, 2, 749. A low rating with a story (no
question) acts when the model gives it 0.7 (was: always asked), and a number is never the
answering sentence: in-sample 84.7%, 0, 531; CV by round 70.0%, 2, 748. A rating after a
frank lead word ("Definitely a 5", "je dirais 3"): in-sample 84.9%, 0, 527; CV 70.1%, 2, 746.
A pick as "Première proposition" or "el tres, …": in-sample 85.1%, 0, 525; CV 70.2%, 2, 745.
A pick by name with a word of picking up to 30 words: in-sample 85.3%, 0, 521; CV 70.4%, 2, 742.
ENCONTRÁMO-NOS / encontrei read as met: in-sample 85.4%, 0, 520; CV 70.5%, 2, 740. "I don't
see why not" is a yes to a request: in-sample 85.5%, 0, 519; CV 70.6%, 2, 739. A thumbs-up
beside a decision is tone: in-sample 85.5%, 0, 518; CV 70.7%, 2, 738. UNDONE: the low rating
with a story acting when the model gives 0.7 (the rules alone then read three problem reports
and a leaving as ratings, stopped only by the veto): in-sample 84.9%, 0, 527; CV 70.6%, 2, 739.

THE FIVE HELD PARTS WITH THOSE CHANGES, scored once after the merge (2026-12-03 06:50 UTC), in
aggregate per part; no rule, threshold or model choice was made with them: held_r10 (its
first look for the changes too: their author never saw it) 63.1%, 1 wrong, 95 asks (the
reader before, 61.3%, 1, 98); held_r9 63.1%, 2, 95 (57.5%, 1, 105); held_r8 63.1%, 3, 95
(60.6%, 3, 99); held_r4+r6 67.9%, 5, 338 (66.6%, 3, 350); all 1,100: 65.8%, 11 wrong, 623
asks (63.6%, 8, 652). More read right and fewer asks on every part, and three more wrong
actions on the parts looked at before; which change made them was not looked for.

A SIXTH new held-back part (held_r11a/held_r11b, 160 replies written on 2026-12-03 at 08:20-08:26
by two more writers who saw only the brief: a Nigerian/Ghanaian fintech with a Québec/Belgian
engineering school's alumni; a Bavarian/Austrian hospital group with a Chinese-Brazilian
agritech company) was scored once on arrival, in aggregate, with the reader as shipped
(171b25f): 64.4% intent, 1 wrong action, 86 asks. All six held parts (1,260 of 2,860):
65.6%, 12 wrong actions, 709 asks.

ROUND 12 (dev_r12a, 80 replies, and dev_r12b, 100, by two more writers who never saw the code)
arrived on 2026-12-03 at 08:32-08:37 and was scored once, in aggregate, before anything was
changed for it (scripts/intent_first_look.py, the model fitted on the 1,500 without it): with
the reader at the start of that session (171b25f) 50.0% intent, 0 wrong actions, 133 asks (the
rules alone 70.0%, 16 wrong, 75 asks); with the branch then (1ff8629) 50.0%, 0, 133 (rules alone
70.6%, 16, 74). It is development data now (two rounds in scripts/intent_cv.py; the model
learns from it): the development part is 1,680 replies, in-sample 84.1%, 0 wrong, 611 asks; CV
by round 69.2%, 3 wrong, 857 asks (the new wrong action is the soft-condition yes above).

A SEVENTH held-back part (held_r13a/held_r13b, 160 replies written on 2026-12-03 at 13:10-13:24
by two more writers who saw only the brief: a Kenyan/Indian IT-services company with a
Mexican/Spanish business school's alumni; a Swiss/Alsatian watchmaking group's apprentices with
a Portuguese/Taiwanese university's research students) was scored once on arrival, in
aggregate, with the reader as shipped (f51fb80): 59.4% intent, 1 wrong action, 97 asks. All
seven held parts (1,420 of 3,100): 64.9%, 13 wrong actions, 806 asks.

ROUND 14 (dev_r14a and dev_r14b, 80 replies each, by two more writers who never saw the code)
arrived on 2026-12-03 at 16:48-16:52 and was scored once, in aggregate, at 16:53 UTC before
anything was changed for it (scripts/intent_first_look.py HEAD, the reader-r14 branch at
1008f48, the model fitted on the 1,680 without it): 58.1% intent, 2 wrong actions, 100 asks of
160 (the rules alone 76.2%, 12 wrong, 57 asks). It is development data now (two rounds in
scripts/intent_cv.py; the model learns from it): the development part is 1,840 replies,
in-sample 83.6%, 3 wrong, 677 asks; CV by round 69.0%, 5 wrong, 944 asks. Its three wrong
actions in-sample were three kinds the rules missed, each written for the kind: Spanish "que me
saquen de la lista" (the pronoun before the verb) is leaving, which with a no to a request is a
stop; "je me demande si ça vaut encore la peine de continuer" (wondering whether going on is
worth it) is a doubt, so asks; a rating said not to be given ("Diria que 4, só não dou 5") is
not the rating. Then in-sample 83.8%, 0 wrong, 678 asks; CV by round 69.0%, 3 wrong, 946 asks
(r14a held out 52.5% / 0 / 54, r14b 68.8% / 0 / 45). Traditional Chinese (30 development
replies, of rounds 12 and 14) is read as simplified, as the rules are written: in-sample 83.9%,
0 wrong, 676 asks; CV by round 69.2%, 3 wrong, 943 asks (five more read right, two fewer).
Indonesian Gmail's attribution ("Pada tanggal …, … menulis:") ends the reply: in-sample 84.0%,
0 wrong, 675 asks; CV by round unchanged. A yes with a later start said in the other languages
("Aceito! Só não consigo começar antes de fevereiro") is a kept yes, as in English: in-sample
84.0%, 0 wrong, 674 asks; CV by round 69.2%, 3 wrong, 942 asks. Three kinds of the rules' own
wrong readings of rounds 12 and 14 (the model vetoed them): half a point ("三分半", "4 and a
half") is no whole rating; "ich muss passen" is a no; "从名单中移除" is leaving. In-sample
84.1%, 0 wrong, 673 asks; CV unchanged; the rules alone 83.9%, 63 wrong -> 84.0%, 59.

An EIGHTH held-back part (held_r14a/held_r14b, 160 replies written on 2026-12-03 at 16:10-16:50
by two more writers who saw only the brief: a Brazilian/Angolan energy company's trainees, a
Québec/Belgian nursing school, a Swiss insurer, a Peruvian mining alumni network and a
Shanghai/Chengdu games studio; a Singapore/Malaysian logistics firm, an Austrian/Chilean music
conservatory, a Lyon hospital and a Lisbon fintech) was scored once on arrival, in aggregate,
with the reader as shipped (ac64dde): 60.0% intent, 0 wrong actions, 101 asks (extraction
100% lenient). All eight held parts (1,580 of 3,420): 64.4%, 13 wrong actions, 907 asks.

THE READER-R14 BRANCH (rounds 12 and 14 in the model, the changes above) was scored once on the
held part, at 17:31 UTC, in aggregate, on a scratch merge with main: all eight parts 66.5%
intent, 13 wrong actions, 875 asks (as shipped before: 64.4%, 13, 907); the eighth part, new to
both readers, 62.5%, 0, 97 (before: 60.0%, 0, 101). It was merged.

A NINTH held-back part (held_r15a/b, 160, 2026-12-06) was scored once on arrival with c375b29's
reader: 67.5%, 2 wrong, 85 asks; all nine 66.6%, 15, 960. A TENTH (held_r17a/held_r17b, 160
replies written on 2026-12-07 at 01:17-01:26 UTC by two more writers who saw only the brief:
an even spread of contexts and languages with short answers in odd forms and answers to
another question; long replies with feeling, hedges, conditions, dates and withdrawals tucked
inside, mostly English, Spanish, German and Chinese) was scored once on arrival with the
shipped reader (beb45b3), in aggregate: 61.3%, 0 wrong, 98 asks (extraction 100% lenient).
All ten parts (1,900): 66.1%, 15 wrong, 1,058 asks. Branch reader-r17 (rounds 15-17 in the
development part and the model, CV by round 72.8%, 2 wrong, 1,115 asks of 2,320) scored once
on the ten: 69.6%, 19 wrong, 985 asks; its narrower reader-r17c (only changes that make the
reader ask, and extraction; CV 71.7%, 4, 1,138): 68.9%, 18, 1,000. Neither was merged.
An ELEVENTH (held_r18a/held_r18b, 160 replies written on 2026-12-07 at 06:01-06:37 UTC by two
more writers: sure-sounding replies that hang on a condition and answers inside long friendly
emails; very short replies from phones) was scored once on arrival with the shipped reader
(b6c01ef): 73.8%, 5 wrong, 70 asks. All eleven parts (2,060): 66.7%, 20 wrong, 1,128 asks.
Branch reader-r18 (rounds 15-17 in the development part and the model, five kinds) on them:
69.1%, 23, 1,073; its data move alone 68.9%, 23, 1,078; with a model floor of 0.3 68.9%, 21,
1,081: none merged. A TWELFTH (held_r19a/held_r19b, 160 replies written on 2026-12-07 at
07:28-07:35 UTC by two more writers: people of varied ages and roles, non-native English,
answers to another email; medium-length replies mixing the answer with news, thanks and a
second request, in regional wording) was scored once on arrival with the shipped reader
(8ff1d0d): 65.0%, 1 wrong, 90 asks. All twelve parts (2,220): 66.6%, 21 wrong, 1,218 asks.
A floor of 0.2 on the second opinion (branch reader-r19) read them 66.5%, 21, 1,219: not merged.
A THIRTEENTH (held_r20a/held_r20b, 160 replies written on 2026-12-07 at 08:20-09:05 UTC by two
more writers: busy staff of company and university programs on Outlook, with corporate
signatures, disclaimers, "[EXTERNAL]" tags, assistants replying for them, answers in the
subject line only; students and young mentors replying casually to check-ins, surveys and
wrap-ups, answers inside a story, ratings in words) was scored once on arrival with the
shipped reader (6a63417): 64.4%, 0 wrong, 89 asks (extraction 99.4% lenient, 75.6% exact).
All thirteen parts (2,380): 66.4%, 21 wrong, 1,307 asks.
A FOURTEENTH (held_r22a/held_r22b, 160 replies written on 2026-12-07 at 12:10-12:14 UTC by two
more writers: students and young professionals answering from phones in Spanish, Portuguese
and English, short and messy, corrections sent twice; German, French and Chinese speakers in
indirect, formal styles, refusals that never say no, conditions, their clients' quote headers)
was scored once on arrival with the shipped reader (abb36a4): 71.2% / 2 wrong / 38 asks and
66.2% / 0 / 47 (extraction 100% lenient; 92.5% and 42.5% exact: the second writer kept typed
closings such as "Mit freundlichen Grüßen / Klaus Vierling" in the expected text).
All fourteen parts (2,540): 66.6%, 23 wrong, 1,392 asks. The extraction of extract-r22
(signatures, legal notices, footers and quote headers cut by kind), scored once on the
fourteen in aggregate before its merge: 67.4%, 23 wrong, 1,372 asks (exact 83.1% -> 94.5%).
Branch reader-r22 on top of it (CV by round 71.2%, 3, 905): 69.2%, 33 wrong, 1,310: not merged;
its signature and search parts: 67.6%, 24, 1,365: not merged; its doubts (hedges after the
answer, an answer still to be talked over): 67.4%, 23, 1,372: merged.
A FIFTEENTH (held_r25a/b, 159 after one reply word for word a development one was dropped) and
a SIXTEENTH (held_r27a/held_r27b, 160 replies written on 2026-12-07 at 23:00-23:05 UTC by two
more writers: a hospital programme's nurses and doctors in the US, UK, Ireland, Australia and
India from phones and hospital Outlook with disclaimers and pager numbers, Spanish speakers in
Texas and Mexico, Brazilian nurses abroad; a Swiss and Belgian alumni network in French and
Swiss German with Chinese students on QQ/163/Foxmail, mixed French/English and
Chinese/English) were each scored once on arrival with the shipped reader: held_r25 74.2% /
0 wrong / 77 asks (6f3c2f4), held_r27 73.1% / 0 / 80 (813eb38; 73.8% / 0 / 37 and 72.5% /
0 / 43). All sixteen parts (2,859): 71.4%, 22 wrong, 1,437 asks. reader-r25 (asks on a rating
corrected in words, a yes "but on condition", a search reply saying what the offered mentors
all are, a meeting months before the one asked about, "we met that very day"; help in five more
languages), chosen on development figures (next/ 63.3% / 5 / 288 -> 64.0% / 2 / 290; CV 7 -> 6
wrong), scored once on the sixteen in aggregate: 71.3%, 22 wrong, 1,438 asks: merged.

ROUNDS 15, 16, 17, 21 AND 23 (dev_r15a/b, dev_r16a/b, dev_r17a/b, dev_r21a/b, dev_r23a/b, 80
replies each by ten more writers who never saw the code; first looks in next/README.md) moved
up into the development part on reader-r23b, without r16a-0077 and r17a-0071 (each word for
word a held-back reply): 2,638 development replies in 26 rounds, the model rebuilt (3,065
rows), no rule changed. In-sample 82.8%, 2 wrong, 1,015 asks (84.7%, 0, 662 on the 1,840
before); CV by round 70.6%, 10 wrong, 1,322 asks (69.7%, 3, 933 on the 1,840 before; the same
1,840 now 72.1%, 3, 890; the ten new rounds 67.2%, 7, 432 of 798); the rules alone 81.4%, 119
wrong readings, 886 asks.
"""

from __future__ import annotations

import pytest

from mentormail.inbound.types import ACT_THRESHOLD
from tests.unit.inbound.independent_set import REPORTS, figures, load, scored

# Floors at the measured figures (dev in-sample 82.8%, 2 wrong, 1,015 asks on 2,638 with rounds
# 15-23; held 66.5%, 13 wrong, with rounds 12 and 14 in the model).
INTENT_FLOOR = {"dev": 0.82, "held": 0.70}  # held 0.713 on sixteen parts after reader-r25 (0.714
# before it), 0.712 on fifteen (0.711 on fourteen after reader-r23b)
# (0.674 before; 0.644 on eight parts before reader-r14)
# measured on the thirteen held parts (2,380): 5 on held_r4/r6 (3 before the 2026-12-03 changes,
# 31 before the long-reply rule), 3 on held_r8, 2 on held_r9, 1 each on held_r10, r11, r13;
# none on held_r14; 2 on held_r15 (its first look, 2026-12-06, with c375b29's reader); none on
# held_r17 (its first look, 2026-12-07, with beb45b3's); 5 on held_r18 (its first look,
# 2026-12-07, with b6c01ef's); 1 on held_r19 (its first look, 2026-12-07, with 8ff1d0d's);
# none on held_r20 (its first look, 2026-12-07, with 6a63417's); 2 on held_r22 (its first look,
# 2026-12-07, with abb36a4's); 23 on all fourteen before rounds 15-23 moved into the
# development part (reader-r23b, 2026-12-07, scored once in aggregate: 71.1%, 22, 1,280 asks);
# none on held_r25 (its first look, 2026-12-07, with 6f3c2f4's: 74.2%, 0, 77 asks); none on
# held_r27 (its first look, 2026-12-07, with 813eb38's: 73.1%, 0, 80 asks); the target is 0
HELD_WRONG_CEILING = 22
LENIENT_FLOOR = 0.98
# measured 70.7%, 6 wrong actions, 1,326 ask after reader-r25's kinds ("we met that very day"
# asks); 70.7%, 7 wrong actions, 1,325 ask on 2,638 after reader-r24's ask-making kinds (70.6%,
# 10, 1,322 before them); 70.6%, 10, 1,322 with rounds 15-23 (69.7%, 3, 933 on the
# 1,840 before them; 69.2%, 3, 857 on the 1,680 before round 14)
CROSS_VALIDATED_FLOOR = 0.70
CROSS_VALIDATED_WRONG = 6  # see the test below
# Development replies acted on wrongly in-sample, each with why. "Please remove me from your
# lists. I retired last spring…" to a request is labelled a decline by round 1's writers; such
# replies are a stop (which declines the request, `also: decline`) in rounds h3, 5a, 14a, 15a.
# (r17a-0032, a continue that asks to start later, asks since reader-r24's continues that ask.)
KNOWN_WRONG = frozenset({"r1-0010"})


def _held() -> list[dict[str, object]]:
    """The held-back part; its absence is a failure, never a skip."""
    items = load("held")
    assert items, "the held-back part (held_*.jsonl) is missing"
    return items


def test_the_set_has_every_context_and_six_languages() -> None:
    dev, held = load("dev"), load("held")
    items = dev + held
    assert len(items) >= 1800, f"{len(items)} items; the set has 1,820 with rounds 5 and 6"
    assert len(held) * 3 >= len(items), f"held-back part {len(held)} of {len(items)}"
    assert {i["context"] for i in items} == {
        c for c in ("request", "search", "general", "checkin", "survey", "wrapup")
    }
    assert {i["language"] for i in items} >= {"en", "es", "fr", "de", "pt", "zh"}
    assert {i["language"] for i in held} >= {"en", "es", "fr", "de", "pt", "zh"}


def test_no_wrong_action_on_the_development_part() -> None:
    wrong = [r.id for r in scored("dev") if r.wrong_action and r.id not in KNOWN_WRONG]
    assert not wrong, f"{len(wrong)} wrong actions: {wrong}"


def test_intent_accuracy_on_the_development_part() -> None:
    f = figures(scored("dev"))
    assert f.intent >= INTENT_FLOOR["dev"]
    assert f.lenient >= LENIENT_FLOOR


def test_cross_validated_development_part_stays_at_its_measured_figures() -> None:
    """By round. Ten wrong actions on 2,638: two readings the labellers themselves split on,
    a request to leave in answer to a request ("Nein danke. Bitte nehmen Sie mich aus Ihrem
    Verteiler, ich bin im Ruhestand", "Please remove me from your lists. I retired"), read as
    leaving (which releases the request) with `also: decline`: round 1's writers labelled such
    replies a decline, rounds 5 and 14 a stop; and "we met for lunch on the 4th" in answer to
    "since 9 November", a day without a month (round 5); and seven of rounds 15-23: three
    meetings dated on or before the day the check-in asked about ("Nos vimos justo ese día, el
    9", r15a; "Sim, nos vimos dia 15/10", r16b; "Nos vimos el 3 de noviembre", r23b), three
    continues that ask to start later or whether going on is possible (r15a, r17a, r17b), and a
    yes "solange wir uns überwiegend online treffen können" labelled not safe (r21b). Since
    reader-r25 "Nos vimos justo ese día" (a meeting on the very day asked about) asks: six. The
    soft-condition yes of round 7
    ("Sí, siempre que podamos quedar online", labelled "ask" where 6 of 9 such are labelled
    accept) acted while round 12 was in the model without round 14, and is vetoed again."""
    from scripts.intent_cv import development_items, summary, with_veto

    items = development_items()
    rounds = sorted({it.round for it in items})
    folds = [[k for k, it in enumerate(items) if it.round == r] for r in rounds]
    got = summary(items, with_veto(items, folds), ACT_THRESHOLD)
    REPORTS["dev, cross-validated by round"] = (
        f"{got['correct']:.1%} correct, {got['wrong']} wrong actions, {got['asks']} ask "
        f"(n={got['n']}, threshold {ACT_THRESHOLD})"
    )
    assert got["wrong"] <= CROSS_VALIDATED_WRONG
    assert got["correct"] >= CROSS_VALIDATED_FLOOR


def test_held_back_part_in_aggregate() -> None:
    f = figures(scored("held") if _held() else ())  # aggregate only: never print per-item
    assert f.intent >= INTENT_FLOOR["held"]
    assert f.lenient >= LENIENT_FLOOR
    assert f.wrong <= HELD_WRONG_CEILING, f"{f.wrong} wrong actions, more than measured"


@pytest.mark.xfail(
    reason="KNOWN, NOT MET: the held-back parts (held_r4*, r6*, r8*, r9*, r10*, r11*, r13*, "
    "r14*, r15*, r17*, r18*, r19*, r20*, r22*, r25*, r27*: 2,859 replies) have 22 wrong "
    "actions (71.3% intent): not yet none",
    strict=True,
)
def test_no_wrong_action_on_the_held_back_part() -> None:
    f = figures(scored("held") if _held() else ())  # aggregate only
    assert f.wrong == 0, f"{f.wrong} wrong actions on the held-back part"
