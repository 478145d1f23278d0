"""Behaviours of intent.understand that the table alone does not show."""

from __future__ import annotations

import subprocess
import sys
import time

from mentormail.inbound.intent import asks_question, decided_part, read_by_rules, understand
from mentormail.inbound.types import Context, Intent

R, C, S, W, Q, G = (Context.REQUEST, Context.CHECKIN, Context.SURVEY, Context.WRAPUP,
                    Context.SEARCH, Context.GENERAL)  # fmt: skip


def test_no_problem_happy_to_is_a_yes() -> None:
    got = understand("no problem, happy to", R)
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)


def test_not_this_time_is_a_no() -> None:
    got = understand("not this time", R)
    assert (got.intent, got.clear) == (Intent.DECLINE, True)


def test_im_not_sure_is_unclear_and_offers_both_answers() -> None:
    got = understand("I'm not sure", R)
    assert (got.intent, got.clear) == (Intent.OTHER, False)
    assert set(got.candidates) == {Intent.ACCEPT, Intent.DECLINE}


def test_a_yes_with_a_condition_is_unclear() -> None:
    got = understand("yes, but only if we can meet online", R)
    assert (got.intent, got.clear) == (Intent.OTHER, False)
    assert got.candidates[0] is Intent.ACCEPT and Intent.DECLINE in got.candidates


def test_a_clear_yes_that_asks_a_question_accepts_and_passes_the_question_on() -> None:
    got = understand("Yes! Could you tell me more about her goals?", R)
    assert (got.intent, got.clear, got.question) == (Intent.ACCEPT, True, True)
    assert "her goals?" in got.comment


def test_asking_for_time_to_think_is_an_unclear_question() -> None:
    got = understand("Can I think about it?", R)
    assert (got.intent, got.clear, got.question) == (Intent.OTHER, False, True)


def test_both_yes_and_no_is_unclear_with_both_candidates() -> None:
    got = understand("Yes... actually no, sorry.", R)
    assert (got.intent, got.clear) == (Intent.OTHER, False)
    assert set(got.candidates) == {Intent.ACCEPT, Intent.DECLINE}


def test_id_love_to_but_i_cant_is_a_no() -> None:
    assert understand("I'd love to, but I can't this year.", R).intent is Intent.DECLINE


def test_an_apology_for_a_late_reply_does_not_turn_a_yes_into_a_no() -> None:
    got = understand("Sorry for the late reply - yes, happy to!", R)
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)


def test_a_yes_that_appears_only_in_the_quoted_mail_is_not_an_answer() -> None:
    text = "Thanks for the note.\n\n> Reply YES to accept\n> YES"
    assert understand(text, R).intent is Intent.OTHER
    assert understand("> YES", R).clear is False


def test_reading_stops_at_an_on_wrote_line_even_without_quote_marks() -> None:
    text = "Not this year, sorry.\n\nOn Mon, 3 Mar 2025, Program <p@x.org> wrote:\nReply YES!"
    assert understand(text, R).intent is Intent.DECLINE


def test_reading_stops_at_a_gmail_attribution_wrapped_over_two_lines() -> None:
    text = "No, sorry.\n\nOn Mon, Mar 3, 2025 at 10:02 AM Mentor Program <\nm@x.org> wrote:\nYES"
    assert understand(text, R).intent is Intent.DECLINE


def test_a_greeting_and_a_sign_off_do_not_confuse_it() -> None:
    got = understand("Hi Ana,\n\nYes, happy to!\n\nBest, Tom", R)
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)
    assert got.comment == "Yes, happy to!"


def test_all_caps_and_emoji_are_read() -> None:
    assert understand("YES HAPPY TO!!!", R).intent is Intent.ACCEPT
    assert understand("👍", R).intent is Intent.ACCEPT
    assert understand("👎", R).intent is Intent.DECLINE


def test_the_six_languages_say_yes_and_no() -> None:
    yes = ["Sí, con gusto", "Oui, avec plaisir", "Ja, gerne!", "Sim, com prazer", "好的，很乐意"]
    no = ["Lo siento, este año no puedo", "Désolé, je ne peux pas",
          "Leider kann ich dieses Jahr nicht", "Infelizmente não posso",
          "抱歉，今年不行"]  # fmt: skip
    assert [understand(t, R).intent for t in yes] == [Intent.ACCEPT] * 5
    assert [understand(t, R).intent for t in no] == [Intent.DECLINE] * 5


def test_a_negated_anywhere_intent_does_nothing() -> None:
    assert understand("He was not rude at all, we met twice.", C).intent is Intent.MET
    assert understand("Please don't remove me, I still want to mentor!", G).intent is Intent.OTHER


def test_stop_and_report_work_in_every_context() -> None:
    for context in Context:
        assert understand("unsubscribe", context).intent is Intent.STOP
        assert understand("I want to report a problem", context).intent is Intent.REPORT_PROBLEM


def test_busy_pause_my_requests_pauses_rather_than_declining() -> None:
    got = understand("I'm too busy right now, pause my requests", R)
    assert (got.intent, got.clear) == (Intent.PAUSE, True)


def test_a_yes_together_with_a_stop_is_unclear() -> None:
    got = understand("Yes, happy to. Also please unsubscribe me from the newsletter.", R)
    assert (got.intent, got.clear) == (Intent.OTHER, False)
    assert set(got.candidates) == {Intent.ACCEPT, Intent.STOP}


def test_a_resume_that_means_a_cv_is_not_available() -> None:
    assert understand("Could you send her resume?", R).intent is Intent.OTHER


def test_a_survey_rating_keeps_the_rest_as_the_comment() -> None:
    got = understand("4 — going well", S)
    assert (got.intent, got.clear, got.rating) == (Intent.RATING, True, 4)
    assert got.comment == "going well"


def test_a_rating_inside_a_sentence_leaves_the_comment_as_written_not_with_a_hole() -> None:
    text = "Perdón por el retraso! Le doy un 4 de 5. Lucía es genial pero nos cuesta cuadrar."
    got = understand(text, S)
    assert got.rating == 4
    assert got.comment == text  # was "Perdón por el retraso! Le doy un  . Lucía es genial…"
    assert understand("Going well, 4", S).comment == "Going well"


def test_survey_answers_that_are_not_a_whole_one_to_five_are_unclear() -> None:
    for text in ["10/10", "3.5", "3 or 4", "0", "6", "8 out of 10"]:
        got = understand(text, S)
        assert (got.intent, got.clear, got.rating) == (Intent.OTHER, False, None), text
        assert got.candidates == (Intent.RATING,)


def test_a_number_mid_sentence_is_only_a_guess_at_a_rating() -> None:
    got = understand("It went fine, I guess we are at a 3 overall with room to grow", S)
    assert (got.intent, got.clear) == (Intent.OTHER, False)


def test_naming_the_scale_is_not_a_range() -> None:
    got = understand("On a scale of 1-5, I would say 4", S)
    assert (got.intent, got.rating) == (Intent.RATING, 4)


def test_a_search_reply_picks_a_numbered_mentor() -> None:
    for text, n in [("2", 2), ("#2", 2), ("number 2", 2), ("the second one", 2),
                    ("I'd like to ask 3", 3), ("第二个", 2)]:  # fmt: skip
        got = understand(text, Q)
        assert (got.intent, got.clear, got.choice) == (Intent.CHOOSE, True, n), text


def test_a_search_reply_that_is_not_a_choice_is_new_keywords() -> None:
    got = understand("data science or healthcare", Q)
    assert (got.intent, got.clear, got.choice) == (Intent.OTHER, True, None)


def test_two_numbers_in_a_search_reply_are_unclear() -> None:
    got = understand("2 or 3", Q)
    assert (got.intent, got.clear, got.candidates) == (Intent.OTHER, False, (Intent.CHOOSE,))


def test_help_outranks_not_yet_in_a_checkin() -> None:
    got = understand("No, my mentor hasn't replied to my emails.", C)
    assert (got.intent, got.clear) == (Intent.HELP, True)


def test_a_negated_continue_ends() -> None:
    assert understand("I don't want to continue", W).intent is Intent.END
    assert understand("Wir möchten nicht fortsetzen.", W).intent is Intent.END


def test_an_empty_reply_never_acts() -> None:
    got = understand("   \n\n", R)
    assert (got.intent, got.clear) == (Intent.OTHER, False)


def test_question_marks_and_interrogative_forms_count_as_questions() -> None:
    assert asks_question("Could you send her CV first")
    assert asks_question("¿Qué estudia?")
    assert asks_question("她的专业是什么")
    assert not asks_question("Sure, why not?")
    assert not asks_question("Could be fun!")


def test_every_unclear_answer_is_other_with_reasons() -> None:
    for text in ["maybe", "I'm not sure", "yes but only if online", "Thanks!", "???"]:
        got = understand(text, R)
        assert (got.intent, got.clear) == (Intent.OTHER, False)
        assert got.reasons and got.candidates


def test_a_huge_reply_is_read_only_in_its_first_part_and_fast() -> None:
    text = "Yes, happy to!\n" + ("blah " * 200 + "\n") * 2000  # about 2 MB
    start = time.perf_counter()
    got = understand(text, R)
    assert got.intent is Intent.ACCEPT
    assert time.perf_counter() - start < 0.5
    assert len(got.comment) <= 4000


def test_importing_it_pulls_in_no_service_libraries() -> None:
    code = (
        "import sys, mentormail.inbound.intent\n"
        "bad = {'flask', 'sqlalchemy', 'redis', 'rq', 'jinja2'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_being_back_is_available_in_each_language_and_when_i_am_back_is_not() -> None:
    for text in ("I'm back! Happy to take a mentee.", "Je suis de retour !",
                 "Ya estoy de vuelta, contad conmigo.", "Ya he vuelto de la baja.",
                 "Estou de volta!", "Ich bin wieder zurück.", "我回来了。"):  # fmt: skip
        got = understand(text, G)
        assert got.intent is Intent.AVAILABLE or Intent.AVAILABLE in got.candidates, text
    for text in ("Quand je serai de retour, je vous écris.", "He vuelto a escribirle.",
                 "Je ne suis pas de retour avant mars."):  # fmt: skip
        assert understand(text, G).intent is not Intent.AVAILABLE, text


def test_a_no_for_now_with_ask_me_again_declines_this_request_and_keeps_the_wish() -> None:
    for text in ("Not this term, sorry - try me again next year.",
                 "No puedo este año, lo siento. Escribidme de nuevo el año que viene.",
                 "Leider nein, dieses Jahr klappt es nicht. Fragen Sie mich nächstes Jahr wieder.",
                 "Não posso desta vez, desculpem. Tentem de novo no ano que vem.",
                 "Pas cette année, désolé. Recontactez-moi l'année prochaine.",
                 "今年不行，抱歉，明年再问我吧。"):  # fmt: skip
        got = read_by_rules(text, R)
        assert (got.intent, got.clear, got.also) == (Intent.DECLINE, True, (Intent.PAUSE,)), text
    assert not read_by_rules("Can you ask me again next year? Not now.", R).clear


def test_mail_with_no_context_that_only_ends_or_only_has_not_met_says_so() -> None:
    for text, intent in (("Tom and I agreed to wrap up the mentorship. Thanks!", Intent.END),
                         ("Quero encerrar minha mentoria com o Thiago.", Intent.END),
                         ("We haven't met yet, he's been travelling.", Intent.NOT_YET),
                         ("Ainda não nos encontramos.", Intent.NOT_YET)):  # fmt: skip
        got = read_by_rules(text, G)
        assert (got.intent, got.clear) == (intent, True), text
    said = read_by_rules("We haven't met yet. Can you pause me until March?", G)
    assert said.intent is not Intent.NOT_YET  # the pause decides (as before)


def test_met_in_a_month_before_the_date_asked_but_not_since_is_not_yet() -> None:
    for text in ("We met in October but not since.",
                 "On s'est vues en octobre, mais pas depuis.",
                 "Nos vimos en octubre, pero desde entonces nada.",
                 "十月份见过一次，之后就没有了"):  # fmt: skip
        got = read_by_rules(text, C, since_month=11)
        assert (got.intent, got.clear) == (Intent.NOT_YET, True), text
        assert not read_by_rules(text, C).clear, text  # no date asked: the date decides
    for text in ("We met in November but not since.", "We met in December but not since.",
                 "We met in October but not since. Is that a problem?"):  # fmt: skip
        assert not read_by_rules(text, C, since_month=11).clear, text


def test_the_request_emails_buttons_in_each_language_are_answer_words() -> None:
    for text, intent in (("Annehmen", Intent.ACCEPT), ("Aceptar.", Intent.ACCEPT),
                         ("Accepter", Intent.ACCEPT), ("Aceitar!", Intent.ACCEPT),
                         ("Ablehnen", Intent.DECLINE), ("Rechazar, lo siento", Intent.DECLINE),
                         ("Refuser", Intent.DECLINE), ("Recusar", Intent.DECLINE)):  # fmt: skip
        got = read_by_rules(text, R)
        assert (got.intent, got.clear) == (intent, True), text
    assert not read_by_rules("Annehmen? Was heißt das", R).clear


def test_a_one_word_answer_under_a_greeting_line_is_not_a_signature() -> None:
    got = read_by_rules("Boa tarde,\n\nAceito.\n\nCumprimentos,\n\nManuel Sousa Ribeiro", R)
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)


def test_the_no_that_negates_the_ending_is_not_a_no_of_its_own() -> None:
    for text in ("Não quero terminar", "No quiero terminar todavía", "Ich möchte nicht aufhören"):
        got = read_by_rules(text, W)
        assert (got.intent, got.clear) == (Intent.CONTINUE, True), text
    assert not read_by_rules("No, no quiero terminar", W).clear  # a no, then a continue
    got = read_by_rules("No, we haven't met", C)
    assert (got.intent, got.clear) == (Intent.NOT_YET, True)


def test_a_reason_to_end_denied_is_a_continue() -> None:
    for text in ("No reason to stop now — continue!!!", "Kein Grund aufzuhören!",
                 "Claro que quero continuar!! Não tem como parar agora"):  # fmt: skip
        got = read_by_rules(text, W)
        assert (got.intent, got.clear) == (Intent.CONTINUE, True), text


def test_a_typo_in_a_reply_of_a_few_words_is_mended() -> None:
    for text, context, intent in (("yse pls", R, Intent.ACCEPT), ("sii", R, Intent.ACCEPT),
                                  ("contnue", W, Intent.CONTINUE), ("mte", C, Intent.MET),
                                  ("weitermachn, klar", W, Intent.CONTINUE)):  # fmt: skip
        got = read_by_rules(text, context)
        assert (got.intent, got.clear) == (intent, True), text
    assert not read_by_rules("see you", R).clear  # a word, not a typo of one


def test_a_low_rating_with_a_story_is_read_by_a_person() -> None:
    story = "1. He made a joke about women in engineering at our last meeting and then sulked."
    assert not read_by_rules(story, S).clear  # such stories are often a problem to report


def test_a_rating_after_a_frank_lead_word_is_a_rating() -> None:
    for text, rating in (("Definitely a 5, sie ist super hilfreich!", 5),
                         ("Je dirais 3, we haven't really clicked yet mais ça va.", 3),
                         ("Eher mittelmäßig, so eine 3.", 3),
                         ("Eu diria 4, está indo bem", 4)):  # fmt: skip
        got = read_by_rules(text, S)
        assert (got.intent, got.rating, got.clear) == (Intent.RATING, rating, True), text
    assert not read_by_rules("Probably a 4? Ask me again after our next session", S).clear
    assert not read_by_rules("Honestly? A 5, if 5 means 'has forgotten I exist'.", S).clear


def test_an_ordinal_proposal_or_an_article_and_a_number_word_picks() -> None:
    for text, choice in (("Première proposition svp", 1), ("el tres, que habla español", 3),
                         ("la dos, por favor", 2)):  # fmt: skip
        got = read_by_rules(text, Q)
        assert (got.intent, got.choice, got.clear) == (Intent.CHOOSE, choice, True), text
    assert read_by_rules("the two, hmm", Q).intent is not Intent.CHOOSE


def test_a_longer_reply_that_says_it_picks_one_mentor_by_name_picks() -> None:
    from mentormail.inbound.types import Option

    options = (Option("Anna Weber", "Tax, Basel"), Option("Thomas Reinhardt", "Audit, Basel"))
    got = read_by_rules("Thanks! I'd go with Thomas Reinhardt since he's in Basel like me and "
                        "knows the audit side well.", Q, options)  # fmt: skip
    assert (got.intent, got.choice, got.clear) == (Intent.CHOOSE, 2, True)
    long_story = ("Thomas Reinhardt, since he's in Basel like me, although I spent the spring "
                  "abroad and lost touch with the audit side of things entirely")  # fmt: skip
    assert not read_by_rules(long_story, Q, options).clear  # no word of picking


def test_portuguese_and_french_check_in_answers_of_having_met() -> None:
    for text in ("ENCONTRÁMO-NOS", "Encontrámo-nos na terça", "ENCONTREI", "ENCONTRAMOS",
                 "Sim, a gente se encontrou duas vezes!", "RENCONTRÉ", "rencontrée !"):  # fmt: skip
        got = read_by_rules(text, C)
        assert (got.intent, got.clear) == (Intent.MET, True), text
    got = read_by_rules("Ainda não me encontrei com ele", C)
    assert (got.intent, got.clear) == (Intent.NOT_YET, True)
    assert not read_by_rules("Rencontre prévue jeudi", C).clear  # a meeting planned


def test_i_dont_see_why_not_is_a_yes_to_a_request() -> None:
    for text in ("Não vejo porque não. Aceito.", "I don't see why not!", "No veo por qué no."):
        got = read_by_rules(text, R)
        assert (got.intent, got.clear) == (Intent.ACCEPT, True), text
    assert not read_by_rules("Don't see why not", W).clear  # a yes to "continue or end?"


def test_a_thumbs_up_beside_a_decision_is_tone() -> None:
    got = read_by_rules("Not yet but we have a date - Saturday 16th at Peckham library 👍", C)
    assert (got.intent, got.clear) == (Intent.NOT_YET, True)
    got = read_by_rules("👍", R)
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)


def test_a_yes_is_weighed_without_the_question_it_passes_on() -> None:
    text = "How could I refuse? Count me in.\n\nCould you send me her start date and manager?"
    found = read_by_rules(text, R)
    assert (found.intent, found.clear, found.question) == (Intent.ACCEPT, True, True)
    assert decided_part(text, R, found) == "Count me in."


def test_a_question_whether_the_yes_will_do_is_weighed_with_it() -> None:
    for text in ("Yes, happy to. I'm away for two weeks in November. Is that OK?",
                 "Gerne. Ich bin im März auf Reisen. Wäre das für sie in Ordnung?",
                 "Sim, aceito! Mas só a partir de março, pode ser?"):  # fmt: skip
        assert decided_part(text, R, read_by_rules(text, R)) == text


def test_only_a_yes_to_a_request_passes_its_question_on() -> None:
    checkin = "Met on Friday. Could you send me the goals template?"
    assert decided_part(checkin, C, read_by_rules(checkin, C)) == checkin
    decline = "Sorry, I can't this term. Could you ask Tom instead?"
    assert decided_part(decline, R, read_by_rules(decline, R)) == decline


def test_subject_to_said_formally_is_a_condition_that_asks() -> None:
    for text in (
        "Oui, sous réserve de l'absence de conflit d'intérêts.",
        "Yes, subject to my manager's approval.",
        "Ja, vorbehaltlich der Freigabe.",
    ):
        assert not read_by_rules(text, R).clear


def test_an_end_with_leaving_the_program_is_a_stop_which_ends_it_too() -> None:
    for text in ("END. And please take me off the programme altogether, I'm retiring in June.",
                 "END — and please remove me from the mailing list entirely."):  # fmt: skip
        got = read_by_rules(text, W)
        assert (got.intent, got.clear, got.also) == (Intent.STOP, True, (Intent.END,))


def test_an_end_with_no_more_emails_or_with_a_meeting_still_asks() -> None:
    assert not read_by_rules("beenden. und bitte keine mails mehr, danke", W).clear
    assert not read_by_rules("Met on Friday. Also please take me off the programme.", C).clear
    assert not read_by_rules("Not yet. Honestly, I'd like to leave the programme.", C).clear


def test_a_continue_or_a_yes_for_part_of_the_year_asks() -> None:
    for text in ("Ich würde gern weitermachen, aber nur bis zum Herbst.",
                 "Continue, but only until December — I'm starting a sabbatical.",
                 "Let's keep going! Mais seulement jusqu'à décembre.",
                 "继续，但只能到十二月，之后我要调去总部。"):  # fmt: skip
        assert not read_by_rules(text, W).clear
    for text in ("Yes, but only until December.", "Gerne, aber nur bis zum Sommer.",
                 "I'd love to, but only until March.", "可以，但只能持续到明年三月。"):  # fmt: skip
        assert not read_by_rules(text, R).clear


def test_a_no_with_leaving_said_with_the_pronoun_first_leaves() -> None:
    got = read_by_rules("No, este año no puedo. Les pido que me saquen de la lista.", R)
    assert got.intent is Intent.STOP and got.clear and got.also == (Intent.DECLINE,)


def test_wondering_whether_going_on_is_worth_it_asks() -> None:
    for text in ("Pas encore. Je me demande si ça vaut encore la peine de continuer…",
                 "Not yet. I wonder if it's still worth it, to be honest.",
                 "Todavía no. Me pregunto si vale la pena seguir."):  # fmt: skip
        assert not read_by_rules(text, C).clear


def test_a_rating_said_not_to_be_given_is_not_the_rating() -> None:
    for text in ("Diria que 4 — só não dou 5 porque eu mesmo desmarquei duas vezes.",
                 "I wouldn't give a 5, I'd say 4."):  # fmt: skip
        got = read_by_rules(text, S)
        assert (got.intent, got.rating) == (Intent.RATING, 4)


def test_traditional_chinese_reads_as_simplified() -> None:
    assert (read_by_rules("當然繼續！", W).intent, read_by_rules("當然繼續！", W).clear) == (
        Intent.CONTINUE, True)  # fmt: skip
    assert read_by_rules("好，沒問題。", R).intent is Intent.ACCEPT


def test_a_yes_with_a_later_start_is_a_kept_yes_in_other_languages() -> None:
    for text in ("Aceito! Só não consigo começar antes de fevereiro.",
                 "Gern, ich kann aber erst im Februar anfangen."):  # fmt: skip
        assert (read_by_rules(text, R).intent, read_by_rules(text, R).clear) == (
            Intent.ACCEPT, True)  # fmt: skip


def test_half_a_point_asks_and_having_to_pass_is_no_yes() -> None:
    assert not read_by_rules("三分半啦，人好好。", S).clear
    assert not read_by_rules("4 and a half, really good.", S).clear
    assert read_by_rules("Leider muss ich dieses Jahr passen.", R).intent is not Intent.ACCEPT
    assert read_by_rules("请从名单中移除我，谢谢。", G).intent is Intent.STOP


def test_an_unaccented_si_before_an_affirmation_is_a_yes_not_an_if() -> None:
    got = understand("siii genial!! si claro", R)
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)
    assert not understand("Sí, encantada. Si puedo, el martes os escribo.", R).clear  # an if


def test_a_continue_that_asks_whether_it_may_be_asks() -> None:
    for text in ("Yes, let's continue - could we start again after the exams in May?",
                 "Seguimos, pero ¿sería posible retomarlo en marzo?",
                 "On continue ! Est-ce possible de reprendre en janvier seulement ?",
                 "我们想继续，寒假以后再开始可以吗？"):  # fmt: skip
        got = read_by_rules(text, Context.WRAPUP)
        assert not got.clear and Intent.CONTINUE in got.candidates, text
    for text in ("Continue please!", "Why would we stop? Keep us going."):
        assert read_by_rules(text, Context.WRAPUP).intent is Intent.CONTINUE, text


def test_a_reply_that_is_only_a_murmur_asks() -> None:
    for text in ("嗯", "嗯嗯。", "恩"):
        assert not read_by_rules(text, Context.REQUEST).clear, text
    assert read_by_rules("嗯嗯，可以的", Context.REQUEST).clear  # a yes word beside it


def test_a_pick_on_a_line_of_its_own_then_other_words_asks() -> None:
    for text in ("三\n\nli.wei@example.cn", "two\n\nana.ruiz@example.org"):
        got = read_by_rules(text, Context.SEARCH)
        assert not got.clear and Intent.CHOOSE in got.candidates, text
    assert read_by_rules("data science", Context.SEARCH).clear  # new search words


def test_a_rating_that_corrects_itself_is_read_as_the_number_it_corrects_to() -> None:
    for text, meant in (("3, me corrijo: 4, fue muy bueno", 4), ("2 — correção, 4! Foi ótimo", 4),
                        ("3 – ich korrigiere, 4.", 4), ("2, je me corrige : 4.", 4),
                        ("3分，更正一下，4分", 4), ("4. Scratch that, 5.", 5)):  # fmt: skip
        got = understand(text, S)
        assert (got.intent, got.clear, got.rating) == (Intent.RATING, True, meant), text


def test_a_correction_with_no_number_after_it_asks() -> None:
    for text in ("3 (korrektur meiner letzten Mail)", "5 - corrijo lo que dije ayer"):
        assert not understand(text, S).clear, text
    assert not understand("2, typo in my last mail", Q).clear


def test_a_yes_but_on_a_condition_asks_in_six_languages() -> None:
    for text in ("Sure, but only on condition that we meet online.",
                 "Sí, pero con la condición de que sea por videollamada.",
                 "Oui, mais à condition que ce soit en visio.",
                 "Ja, aber nur unter der Bedingung, dass wir uns online treffen.",
                 "Sim, mas com a condição de ser online.",
                 "可以，但前提是每次都在网上见。", "好的，不过有个条件：只能周末见。",
                 "Happy to, one condition: evenings only."):  # fmt: skip
        got = understand(text, R)
        assert not got.clear and Intent.ACCEPT in got.candidates, text
    got = understand("Oui, à condition que ce soit en ligne.", R)  # a detail passed on
    assert (got.intent, got.clear) == (Intent.ACCEPT, True)


def test_a_search_reply_that_says_what_the_offered_mentors_all_are_asks() -> None:
    for text in ("They are all in banking, is there anyone in insurance?",
                 "Son todos de Madrid, ¿hay alguien en Sevilla?",
                 "Ils sont tous en finance, quelqu'un dans l'assurance ?",
                 "Die sind alle aus dem Vertrieb. Gibt es jemanden aus dem Einkauf?",
                 "São todos de Lisboa, tem alguém no Porto?",
                 "这几位都是做销售的，有没有做采购的？"):  # fmt: skip
        assert not understand(text, Q).clear, text
    got = understand("Could you search for insurance instead?", Q)
    assert (got.intent, got.clear) == (Intent.OTHER, True)


def test_a_meeting_dated_before_the_month_asked_about_is_not_a_meeting_since() -> None:
    for text in ("Yes, we met in October.", "MET - back in October", "Getroffen im Oktober",
                 "Sí, nos vimos el 20/10.", "Oui, on s'est vus en octobre.",
                 "Sim, encontrámo-nos em outubro.", "见过，10月见的。"):  # fmt: skip
        got = understand(text, C, since_month=11)
        assert not got.clear and got.intent is not Intent.MET, text
    for text in ("Yes, we met on 20 November.", "Yes, in October and again in November."):
        assert understand(text, C, since_month=11).intent is Intent.MET, text
    assert understand("Yes, we met in October.", C).intent is Intent.MET  # month asked unknown


def test_a_meeting_on_the_very_day_asked_about_asks() -> None:
    for text in ("Yes, we met that very day, at the library.", "Sí, quedamos justo ese día.",
                 "Oui, on s'est vus ce jour-là.", "Ja, genau an dem Tag haben wir uns gesehen.",
                 "Sim, encontrámo-nos nesse mesmo dia.", "见过，就是那天见的。"):  # fmt: skip
        got = understand(text, C)
        assert not got.clear and Intent.MET in got.candidates, text
