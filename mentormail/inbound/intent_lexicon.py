"""Words and phrases, in six languages, that signal what a reply means.

Every phrase is written for text run through ``intent_text.fold``: lower case, no
accents, straight apostrophes. A space in a phrase matches any run of spaces.
Rules run in order and each match hides its span from the rules after it, so a
longer phrase ("no problem", "can't wait") is listed before the words inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from mentormail.inbound.types import Intent

# Tags that are not intents: mapped per context, or flags for the decision.
YES: Final = "yes"  # a generic yes: accept / met / continue, by context
NO: Final = "no"  # a generic no: decline / not yet / end, by context
SOFT_YES: Final = "soft_yes"  # "no problem", "why not": a yes only when asked for one
HEDGE: Final = "hedge"  # "maybe", "not sure", "let me think": never act
CONDITION: Final = "condition"  # "only if", "unless": never act
SOFT_CONDITION: Final = "soft_condition"  # "as long as", "once my exams are over": a kept yes
NEUTRAL: Final = "neutral"  # hide the span, signal nothing
DOUBT: Final = "doubt"  # "I'll confirm", "je vous redis": a hedge wherever it stands
WITHDRAW: Final = "withdraw"  # "I'm dropping out": leaving, said inside another answer
PREFERENCE: Final = "preference"  # "fewer emails please": for the coordinators, not leaving
RHETORICAL_YES: Final = "rhetorical_yes"  # "How could I refuse?": a yes even as a question

Tag = Intent | str


@dataclass(frozen=True)
class Rule:
    """One pattern and what a match of it says."""

    pattern: re.Pattern[str]
    tag: Tag
    strong: bool = True
    negatable: bool = False  # a "not"/"no"/"ne...pas"/"不" before it flips or drops it
    gate: frozenset[str] | None = None  # word starts one of which must be in the text, if known


def _is_cjk(ch: str) -> bool:
    """Whether a character is written without spaces between words (Chinese, emoji)."""
    return ord(ch) >= 0x2E80


def compile_phrases(*phrases: str) -> re.Pattern[str]:
    """One pattern for many phrases, with word edges where the script has words."""
    words = [p.replace(" ", r"\s+") for p in phrases if not _is_cjk(p[0])]
    cjk = [p for p in phrases if _is_cjk(p[0])]
    # One word-edge check around the whole alternation: far faster than one per phrase.
    parts = [rf"(?<![\w'])(?:{'|'.join(words)})(?![\w])"] if words else []
    return re.compile("|".join(parts + cjk))


def rule(tag: Tag, *phrases: str, strong: bool = True, negatable: bool = False) -> Rule:
    """A rule for a list of phrases."""
    return Rule(compile_phrases(*phrases), tag, strong, negatable, _gate(phrases))


_LITERAL_START = re.compile(r"[a-z']+")


def _gate(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """The keys (three- or two-letter word starts, or a CJK character) a match needs one of.

    Skipping a rule whose keys are absent is what keeps reading fast: Python's regex
    engine tries every alternative at every word start.
    """
    keys: set[str] = set()
    for phrase in phrases:
        found = _keys(phrase)
        if found is None:
            return None
        keys |= found
    return frozenset(keys)


def _keys(phrase: str) -> set[str] | None:
    """The keys one phrase can start with, expanding a leading "(?:a|b)" group; None if any."""
    if _is_cjk(phrase[0]):
        return {phrase[0]}
    if phrase.startswith("(?:"):
        depth, alts, start = 0, [], 3
        for i, ch in enumerate(phrase):
            if ch == "\\":
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    alts.append(phrase[start:i])
                    rest = phrase[i + 1 :]
                    break
            elif ch == "|" and depth == 1:
                alts.append(phrase[start:i])
                start = i + 1
        else:
            return None
        if rest[:1] in ("*", "{") or not all(alts):
            return None
        options = [alt + rest for alt in alts]
        if rest[:1] == "?":  # an optional group: the phrase may start after it
            rest = rest[1:].lstrip(" ")
            options = [alt + rest for alt in alts] + [rest]
        keys: set[str] = set()
        for option in options:
            found = _keys(option) if option else None
            if found is None:
                return None
            keys |= found
        return keys
    m = _LITERAL_START.match(phrase)
    literal = m.group(0) if m else ""
    following = phrase[len(literal) : len(literal) + 1]
    if following == "?" and len(literal) == 2:  # "i'?m": "i'm" or "im"
        rest = phrase[len(literal) + 1 :]
        with_char, without = _keys(literal + rest), _keys(literal[0] + rest)
        return None if with_char is None or without is None else with_char | without
    if following in ("?", "*", "{"):
        literal = literal[:-1]
        following = "?"
    if len(literal) >= 3:
        return {literal[:3]}
    if len(literal) == 2:
        return {literal}
    if len(literal) == 1 and following in (" ", "") and literal != "'":
        return {literal}  # a one-letter word ("i am"): its key is itself
    return None


_WORD = re.compile(r"[a-z0-9']+")


def text_keys(folded: str) -> frozenset[str]:
    """The keys of a text, to test rule gates against."""
    words = _WORD.findall(folded)
    return frozenset(
        {w[:2] for w in words} | {w[:3] for w in words} | {c for c in folded if _is_cjk(c)}
    )


# Sentence starts: the start of the text or after punctuation, for one-word answers.
MASK: Final = "\x00"  # what a matched span becomes, so later rules cannot read it
LEAD = r"(?:^|(?<=[.!?,;:\n(\-。！？\x00]))\s*"

NEGATORS: Final = frozenset(
    {
        "not", "no", "never", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't",
        "wont", "won't", "wouldnt", "wouldn't", "cant", "can't", "cannot", "isnt", "isn't",
        "wasnt", "wasn't", "arent", "aren't", "werent", "weren't", "havent", "haven't",
        "hasnt", "hasn't", "hadnt", "hadn't", "couldnt", "couldn't", "shouldnt", "shouldn't",
        "without", "hardly", "nunca", "ni", "jamas", "ne", "pas", "jamais", "nicht", "kein",
        "keine", "keinen", "nie", "niemals", "nao", "nem",
    }
)  # fmt: skip
POST_NEGATORS: Final = frozenset({"nicht", "pas"})  # German and spoken French negate after
CJK_NEGATORS: Final = frozenset("不没别未无")

# Courtesy and filler that contain signal words but say nothing.
NEUTRAL_RULES: Final = (
    rule(NEUTRAL, "你好", "您好", "不错", "不客气", "好久", "最好", "好多"),
    rule(
        NEUTRAL,
        r"sorry (?:for|about) (?:the|my) (?:late|slow|delayed)? ?(?:reply|response|answer|delay)",
        r"sorry for (?:the )?delay", r"sorry to hear", r"sorry i missed",
        r"(?:excuse|pardon) the delay", r"perdon por (?:la demora|el retraso|tardar)",
        r"disculpa(?:s|e)? (?:por )?la demora", r"desolee? (?:pour le|du) retard",
        r"entschuldig\w* (?:fur|die) (?:die )?(?:spate|verspatete) antwort",
        r"sorry fur die spate antwort", r"desculp[ae] (?:a|pela) demora", "抱歉回复晚了",
        "抱歉晚回复", r"thanks? (?:you )?for (?:your|the|all your) help",
        r"thank you for (?:your|the|all your) help", r"let me know if",
        r"if you have any questions",
        r"if you need anything", r"don't hesitate", r"dont hesitate", r"feel free", r"not only",
        r"non seulement", r"nicht nur", r"no solo", r"nao so", r"the end of", r"by the end",
        r"end of (?:the )?(?:month|year|term|semester|week|day)", r"i'?m sure", r"i am sure",
        r"you'?re welcome", r"make sure", r"de nada", r"de rien", r"bitte sehr", r"no help needed",
        r"(?:don'?t|do not) need (?:any )?help", r"helpful", r"no se preocupe",
        r"(?:not|don'?t) (?:mean|want) to (?:be|sound) rude", r"if (?:this|that|it) (?:sounds"
        r"|seems|is) rude", r"without (?:being|sounding) rude",
        r"(?:when|until|once) i'?m back", r"(?:quand|des que) je (?:serai|suis) (?:de )?retour",
        r"(?:cuando|en cuanto) (?:este|vuelva) de vuelta", r"wenn ich (?:wieder )?zuruck bin",
        r"(?:says|said) (?:yes|no)", r"bonne continuation", r"buena continuacion",
        r"ich melde mich (?:nochmal |wieder |noch einmal )?bei (?:ihr|ihm)",
        r"ich melde mich (?:\w+ ){0,3}(?:direkt )?bei (?:frau|herrn?|ihr|ihm)",
        r"happy to (?:\w+ ){1,5}(?:again|after that|afterwards|later)",
        r"(?:encantad[oa]|feliz) de (?:\w+ ){1,5}(?:despues|mas adelante|otra vez)",
        r"(?:ravie?|heureu(?:x|se)) de (?:\w+ ){1,5}(?:apres|plus tard)",
        r"gerne? (?:\w+ ){0,3}(?:danach|spater) wieder",
    ),
)

HEDGE_RULES: Final = (
    rule(
        HEDGE,
        r"maybe", r"perhaps", r"not (?:so |too |really |entirely )?sure", r"unsure", r"possibly",
        r"probably", r"let me (?:think|check|see|get back|look|consider)", r"get back to you",
        r"think (?:about it|it over|about this)", r"need (?:some |a little |more )?time",
        r"give me (?:some|a few|a) (?:time|days|day|week)", r"not decided", r"undecided",
        r"i'?ll (?:see|decide|let you know)", r"i guess",
        r"(?:need|have) to check", r"check with (?:my|our)", r"ask me later", r"it depends",
        r"depends", r"quizas?", r"tal vez", r"a lo mejor", r"no estoy segur[oa]",
        r"no se(?=\s*(?:[.,!?]|$|si\b))", r"dejame pensarlo", r"lo pensare",
        r"lo voy a pensar", r"mas adelante", r"depende", r"peut-etre", r"peut etre",
        r"je ne sais pas", r"pas (?:tres )?sure?", r"je vais (?:y )?reflechir",
        r"laissez-moi reflechir", r"je dois reflechir", r"plus tard", r"ca depend",
        r"vielleicht", r"weiß nicht", r"weiss nicht", r"nicht sicher",
        r"(?:muss|mochte|werde) (?:noch )?(?:daruber )?nachdenken", r"uberlegen", r"spater",
        r"kommt darauf an", r"talvez", r"nao sei", r"nao tenho certeza", r"vou pensar",
        r"deixa eu pensar", r"preciso pensar", r"mais tarde", "也许", "可能", "或许", "不确定",
        "不一定", "考虑", "想一想", "想想", "再说", "以后再说", "以后吧", r"pensarlo",
        r"lean(?:ing)? (?:towards?|to)", r"inclined to", r"tending (?:towards?|to)", r"unsicher",
        r"eher (?:ja|nein|nicht)", r"je penche", r"me inclino", r"tendo a", r"bof",
        r"either way", r"either is fine", r"(?:i'?m|im) easy", r"peu importe", r"egal",
        r"da igual", r"tanto faz", "都可以", "都行", "无所谓", r"idk",
        r"i don'?t know(?! (?:how|where|what|who|when|which|her|his))",
        r"if (?:she|he|they|you) (?:wants?|likes?|prefers?|agrees?)", r"if not",
        r"acho que", r"creo que", r"je crois que", r"ich glaube", r"i think i'?ll",
        r"part of me", r"(?:i'?m|i am) (?:a bit |quite |really )?torn", r"on the fence",
        r"in two minds", r"(?:une )?partie de moi", r"je suis partage", r"(?:ein )?teil von mir",
        r"hin- und hergerissen", r"(?:una )?parte de mi", r"no lo tengo claro", r"dividid[oa]",
        r"(?:uma )?parte de mim", "一方面", "犹豫", "纠结",
        r"jein", r"yes and no", r"oui et non", r"si y no", r"sim e nao", "也是也不是",
        r"technically", r"techniquement", r"tecnicamente", r"technisch gesehen",
        r"(?:voir|verifier) (?:d'abord )?avec mon", r"je reviens vers (?:vous|toi)",
        r"(?:hablar|consultar|comprobar) (?:antes |primero )?con mi", r"(?:falar|ver|verificar)"
        r" (?:antes |primeiro )?com (?:o )?meu", r"(?:mit|bei) meine[mr]? (?:chef|chefin"
        r"|vorgesetzten|manager|team) (?:ab|klaren|sprechen|nachfragen)",
    ),
)

_ALONE = r"(?=\s*(?:[.,;:!?–—-]|$))"  # a hedge that ends its clause, said by itself

# Doubts that undo a decision wherever they stand ("Sure... I'll confirm on Friday").
DOUBT_RULES: Final = (
    rule(
        DOUBT,
        r"not (?:100 ?%|a hundred percent|entirely|completely|totally|really)? ?sure",
        r"i'?ll (?:confirm|get back)", r"not quite", r"actually,? no", r"well,? not really",
        r"(?:need|have) to (?:confirm|check)",
        r"(?:can|could) (?:you )?ask me again", r"ask me (?:again|later)", r"je vous redis",
        # wondering whether going on is worth it: the answer beside it may not stand ("Pas
        # encore… je me demande si ça vaut encore la peine de continuer")
        r"wonder(?:ing)? (?:if|whether) (?:it'?s|it is|this is|there'?s any point|it'?s even)"
        r" (?:still |really )?(?:worth|any use)", r"me demande si (?:ca|cela|c'est) (?:\w+ )?"
        r"(?:vaut|en vaut)", r"me pregunto si (?:\w+ )?(?:vale|merece) la pena",
        r"frage mich,? ob (?:es|das) (?:sich )?(?:noch )?(?:\w+ )?(?:lohnt|sinn)",
        r"(?:me pergunto se|sera que) (?:\w+ )?(?:ainda )?vale a pena", "值不值得", "还有没有意义",
        r"je (?:ne )?sais pas(?: trop)?", r"je vous (?:le )?confirme", r"ich melde mich",
        r"muss (?:ich )?(?:noch )?(?:mal )?(?:nachfragen|prufen|bestatigen)",
        r"in principle", r"in theory", r"theoretically", r"grundsatzlich", r"prinzipiell",
        r"en principe", r"en principio", r"em principio", r"a priori", "原则上", "理论上",
        r"sleep on it", r"consultar(?:lo)? con la almohada", r"la nuit porte conseil",
        r"(?:noch )?(?:mal )?(?:eine nacht )?daruber schlafen", r"dormir sobre o assunto",
        r"already (?:accepted|said yes|declined|said no|replied|answered|clicked)",
        r"ya (?:acepte|rechace|respondi|conteste|dije que (?:si|no))",
        r"j'ai deja (?:accepte|refuse|repondu|dit oui|dit non|clique)",
        r"(?:habe|hatte) (?:doch )?(?:schon|bereits) (?:zugesagt|abgesagt|angenommen|geantwortet"
        r"|geklickt)", r"ja (?:aceitei|recusei|respondi|disse que (?:sim|nao))",
        "已经接受", "已经回复", "已经同意", "已经拒绝",
        # a hedge said after the answer, standing alone ("On continue ! Enfin, je crois", "Yes,
        # we met. Well, I think so", "Weitermachen, glaube ich zumindest"): it takes it back
        r"(?:well|at least|i mean|or so),? i (?:think|believe|guess)(?: so)?" + _ALONE,
        r"i (?:think|believe) so" + _ALONE,
        r"(?:enfin|du moins|en tout cas|bon),? je (?:crois|pense)(?: bien)?" + _ALONE,
        r"je (?:crois|pense) (?:bien )?que oui", r"il me semble" + _ALONE,
        r"(?:glaube|denke|meine) ich(?: zumindest| jedenfalls| wenigstens)?" + _ALONE,
        r"(?:ich glaube|ich denke|glaube ich|denke ich) (?:schon|zumindest|jedenfalls)",
        r"(?:bueno|al menos|o eso),? creo(?: yo)?" + _ALONE, r"creo yo", r"creo que si",
        r"eso creo", r"(?:bom|pelo menos|ou assim),? acho(?: eu)?" + _ALONE, r"acho eu",
        r"acho que sim", "我觉得吧", "应该吧", "大概吧", "我想是吧", "好像是吧",
        # the answer still to be talked over with someone ("je dois encore en parler avec Inès",
        # "I still need to talk it over with her", "muss das noch mit ihr besprechen")
        r"(?:still|first) (?:need|have|got) to (?:talk|speak|check) (?:to|with)",
        r"(?:need|have|got) to (?:talk|discuss) (?:it|this|that) (?:over |through )?(?:with|first)",
        r"(?:dois|doit|devons|faut que j'en|faut qu'on en) (?:encore |d'abord )?(?:en )?"
        r"(?:parler|discuter|parle|discute)", r"(?:je )?dois (?:encore |d'abord )?(?:voir|verifier)"
        r" avec", r"(?:muss|mussen) (?:das |es )?(?:noch|erst) (?:mit (?:\w+ ){1,2})?(?:besprechen"
        r"|absprechen|klaren|reden|sprechen)", r"(?:noch|erst) mit (?:\w+ ){1,2}(?:besprechen"
        r"|absprechen|reden|sprechen)", r"(?:tengo|tendria|necesito|tenemos|debo) que (?:hablarlo"
        r"|comentarlo|consultarlo|verlo)(?: antes| todavia| primero)? con", r"(?:aun|todavia)"
        r" (?:tengo|debo|necesito) que hablar", r"(?:ainda|primeiro|antes) (?:tenho|preciso)"
        r" (?:de |que )?(?:falar|conversar)", r"(?:tenho|preciso) (?:de |que )?(?:falar|conversar)"
        r" (?:ainda|primeiro|antes)",
        "还要跟", "还得跟", "还要和", "还得和", "商量一下", "商量商量", "还要商量",
        r"te (?:lo )?confirmo", r"(?:tengo|necesito) que confirmar", r"preciso (?:confirmar|ver)",
        r"(?:te|vos) confirmo", "再确认", "确认一下", "再告诉你",
        # wanting to know more before committing; asking what counts as the answer
        r"(?:savoir|en savoir|know|learn|hear) (?:\w+ ){0,3}(?:more|plus) (?:\w+ ){0,5}"
        r"(?:first|d'abord|before)", r"before (?:i |we )?(?:commit|decide|say yes|agree)\w*",
        r"avant (?:que je (?:ne )?|de )m'engag\w*", r"bevor ich (?:mich )?(?:festlege|zusage"
        r"|entscheide)", r"antes de (?:comprometerme|decidir|aceptar|me comprometer|aceitar)",
        r"define '?\w+'?", r"does (?:that|it|this|a \w+(?: \w+)?) count", r"what counts as",
        r"(?:cuenta|conta) (?:como|una|um)", r"(?:ca|cela) compte", r"zahlt das", "算不算", "算吗",
    ),
)

CONDITION_RULES: Final = (
    # Strict: the yes hangs on it, or it is no answer yet ("only if", "unless", "if so").
    rule(
        CONDITION,
        r"only if", r"but only(?! (?:until|till|through|up to|to the end))",
        r"on (?:the |one )?condition", r"depending on", r"unless",
        r"solo si", r"con la condicion", r"a menos que", r"seulement si", r"sauf si",
        r"a moins que", r"nur wenn", r"unter der bedingung", r"es sei denn", r"so se",
        r"somente se", r"apenas se", r"com a condicao", r"a nao ser que", "只有在", "除非",
        # "yes, but on condition that" ("可以，但前提是线上见面", "oui, mais à condition que"):
        # the "but" makes the condition what the yes hangs on, not a detail passed on
        r"(?:but|mais|pero|aber|mas) (?:only |seulement |solo |nur |so )?(?:on (?:the )?condition"
        r"|provided|a condition|a condicion|con la condicion|unter der (?:bedingung|voraussetzung)"
        r"|vorausgesetzt|com a condicao|a condicao|desde que|siempre (?:y cuando|que))",
        r"(?:one|una|une|eine|uma) (?:condition|condicion|bedingung|condicao)",
        "但前提", "但是前提", "不过前提", "不過前提", "可是前提", "但条件是", "但條件是",
        "不过条件是", "不過條件是", "有个条件", "有一个条件", "有個條件", "有一個條件",
        r"if so", r"wenn ja", r"si c'est le cas", r"si es asi", r"se sim", "如果是的话",
        # "subject to", said formally ("Oui, sous réserve de l'absence de conflit d'intérêts")
        r"subject to", r"sous reserve", r"vorbehaltlich", r"unter (?:dem )?vorbehalt",
        r"sujeto a", r"a reserva de", r"sob reserva", "视情况",
    ),
    # Soft: a yes with a practical condition or a date, passed on to the other person.
    rule(
        SOFT_CONDITION,
        r"as long as", r"provided (?:that|she|he|we|they|it)",
        r"if (?:we|she|he|they|it|the mentee) (?:can|could|is|are|would)",
        r"if it'?s (?:online|remote|virtual|in person)", r"assuming",
        r"(?:can'?t|cannot|can not) (?:meet|start|begin|talk) (?:until|before)",
        r"(?:won'?t|will not|not) be able to (?:meet|start|begin|talk) (?:until|before)",
        r"not (?:until|before)", r"once (?:my|the|i|we)", r"siempre (?:y cuando|que)",
        # a later start, said in the other languages ("Aceito! Só não consigo começar antes de
        # fevereiro", "no puedo empezar hasta marzo", "ich kann erst im Februar anfangen")
        r"nao (?:consigo|posso|vou conseguir|vou poder) (?:comecar|iniciar) (?:antes|ate)",
        r"no (?:puedo|podre|podria) (?:empezar|comenzar) (?:hasta|antes)",
        r"(?:ne (?:peux|pourrai|pourrais)|pourrai) pas (?:commencer|demarrer) avant",
        r"(?:kann|konnte|werde) (?:\w+ ){0,2}erst (?:ab|im|nach|in|mitte|ende|anfang) ",
        "以后才能开始", "之后才能开始", "才能开始",
        r"a condicion de", r"a condition (?:que|de)", r"pourvu que", r"tant que", r"sofern",
        r"solange", r"vorausgesetzt", r"desde que", r"contanto que", "只要", "前提是", "条件是",
    ),
)

# Valid in every context; "stop sending requests" is a pause, so pause rules run first.
ANYWHERE_RULES: Final = (
    rule(
        PREFERENCE,
        r"(?:fewer|less) (?:of )?(?:these |the |your )?(?:\w+ )?"
        r"(?:emails|e-?mails|reminders|messages"
        r"|mails|notifications)", r"less (?:often|frequent(?:ly)?)",
        r"(?:not|no) so (?:many|often)",
        r"(?:stop|unsubscribe me from|no more) (?:sending (?:me )?)?(?:the |your |this )?"
        r"(?:monthly |weekly |daily )?(?:digest|newsletter)s?",
        r"menos (?:correos|emails|e-?mails|mensajes|mensagens|recordatorios|lembretes)",
        r"moins (?:de |d')?(?:mails|messages|e-?mails|courriels|rappels)", r"moins souvent",
        r"weniger (?:e-?mails|mails|nachrichten|erinnerungen)", r"seltener", "少发", "少一点",
        "别那么多", "太多邮件",
    ),
    rule(
        WITHDRAW,
        r"(?:i'm|im|i am) (?:dropping out|leaving the program\w*|quitting|withdrawing"
        r"|pulling out)",
        r"i (?:want|need|have|'d like|would like|will|'ll|am going) to (?:drop out|quit|withdraw"
        r"|leave the program\w*)", r"(?:i quit|i withdraw)",
        r"(?:je|j') (?:quitte|abandonne) le programme", r"(?:dejo|abandono) el programa",
        r"take me (?:out|off) (?:of )?(?:the |this |your )?(?:mentoring|mentorship|program\w*"
        r"|scheme|pairing)",
        r"(?:quiero|prefiero|voy a|tengo que|necesito) (?:dejar|abandonar|salir de) el programa",
        r"(?:je prefere|je veux|je vais|je dois) (?:quitter|arreter|abandonner) le programme",
        r"(?:ich mochte|ich will|ich werde) (?:aus dem programm )?aussteigen",
        r"(?:quero|prefiro|vou|preciso) (?:sair do|deixar o|abandonar o) programa",
        "我想退出", "我决定退出",
        r"ich (?:steige aus|hore auf|breche ab)", r"(?:vou sair|saio|desisto) do programa",
        "我要退出", "我不想参加了",
        negatable=True,
    ),
    rule(
        Intent.REPORT_PROBLEM,
        r"report (?:a |an )?(?:problem|issue|concern|incident|misconduct)",
        r"report (?:him|her|them|my mentor|my mentee|this|the mentee|the mentor)",
        r"(?:file|make|lodge) a complaint", r"complain about", r"rude", r"disrespect\w*",
        r"harass\w*", r"inappropriate\w*", r"abusive", r"threaten\w*",
        r"made me (?:feel )?(?:uncomfortable|unsafe)", r"unsafe", r"bull(?:y|ied|ying)",
        r"discriminat\w*", r"offensive", r"insult(?:ed|ing)", r"misconduct",
        r"reportar (?:un |um )?(?:problema|incidente)", r"denunciar", r"queja", r"acos\w*",
        r"groser[oa]", r"irrespetuos[oa]", r"falta de respeto", r"inapropiad[oa]",
        r"ofensiv[oa]", r"signaler (?:un )?(?:probleme|incident)", r"harcel\w*", r"impolie?",
        r"irrespectueu(?:x|se)", r"inappropriee?", r"grossiere?", r"manque de respect",
        r"(?:ein )?problem melden", r"beschwerde", r"belastig\w*", r"unhoflich", r"respektlos",
        r"unangemessen", r"beleidig\w*", r"assedi\w*", r"grosseir[oa]", r"desrespeit\w*",
        r"inapropriad[oa]", r"falta de respeito", "举报", "报告问题", "投诉", "骚扰", "不尊重",
        "无礼", "粗鲁", "不当", "不恰当", "冒犯",  "不合适的话", "很不合适",
        r"uncomfortable", r"not comfortable", r"(?:pas|plus) (?:du tout )?a l'aise",
        r"mal a l'aise",
        r"nicht wohl", r"unwohl", r"(?:no me siento|nao me sinto) (?:comod[oa]|confortavel|bem)",
        r"incomod[oa]", r"不舒服", r"aggressive\w*", r"agressi\w*", r"aggressiv\w*",
        r"insistant\w*", r"creepy", r"personal questions", r"(?:at|to) his (?:flat|place|apartment"
        r"|house|home)", r"chez (?:lui|elle)", r"impersonat\w*", r"phishing", r"scam\w*",
        r"suspicious (?:e-?mail|link|message)", r"broken links?", r"page not found",
        r"links? (?:don'?t|doesn'?t|do not|does not|isn'?t|aren'?t|won'?t) work",
        r"(?:an |the )?error (?:page|message)", r"wrong person", r"never studied",
        r"(?:don'?t|do not) want to (?:meet|see|work with|talk to) (?:him|her|them)"
        r" (?:again|any ?more)",
        r"sexis\w*", r"racis\w*", r"homophob\w*",
        r"(?:propos|remarques?|commentaires?|gestes?|blagues?) (?:\w+ )?deplace\w*",
        r"comentarios? (?:\w+ )?(?:fuera de lugar|ofensivos|inapropiados)",
        r"unangebrachte?n? (?:bemerkung\w*|kommentar\w*|witz\w*)",
        r"comentarios? (?:\w+ )?(?:ofensivos|inapropriados|fora de lugar)",
        r"(?:je ne (?:veux|souhaite) plus|no quiero volver a|nao quero (?:mais|voltar a))"
        r" (?:le |la |lo )?(?:rencontrer|ver|encontrar|ve-lo|ve-la)",
        # something of ours does not work: a link, a button, a page, duplicate mail
        r"(?:link|button|page|form|accept|decline)s? (?:\w+ ){0,3}(?:doesn'?t|does not|don'?t"
        r"|isn'?t|won'?t|didn'?t|not) (?:work|load|open)\w*",
        r"(?:link|page) (?:has )?expired", r"(?:got|get|getting|see|saw) (?:an? |the )?(?:\w+ )?"
        r"error", r"error (?:\d{3}|page)", r"(?:\d{3}|'\w+ expired') (?:error|page)",
        r"(?:boton|enlace|link) (?:\w+ ){0,3}no funciona", r"me sale un error",
        r"(?:bouton|lien) (?:\w+ ){0,3}(?:ne )?(?:marche|fonctionne) (?:pas|plus)",
        r"(?:knopf|button|link|seite) (?:\w+ ){0,3}funktioniert nicht", r"fehlermeldung",
        r"(?:botao|link) (?:\w+ ){0,3}nao funciona", r"(?:da|deu) erro", "打不开", "链接失效",
        "报错", "出错",
        r"(?:every|each|all (?:the|your)) (?:\w+ )?(?:emails?|messages?) twice",
        r"(?:received|got|getting|had) (?:this|the same) (?:exact |same )?(?:\w+ )?(?:request"
        r"|e-?mail|message|mail) (?:\w+ ){0,2}(?:twice|three times|\w+ times|again and again)",
        r"(?:twice|two copies|duplicates?) (?:of )?(?:every|each|all)",
        negatable=True,
    ),
    rule(
        Intent.PAUSE,
        r"pause (?:my |the |all )?(?:requests?|mentoring|account|profile|membership|participation"
        r"|matching|me|it|for now|for a while|for a bit|for a few \w+|until \w+)",
        r"(?:put|place|keep) me on (?:a )?(?:hold|pause|break)",
        r"(?:take|taking|need|have) a (?:short |little |bit of a )?break (?:from|for|this|until"
        r"|over)",
        r"pausem? (?:a |minha |meu |minhas |meus )?\w+",
        r"(?:my |our )?(?:account|requests|profile) on hold",
        r"take a break from (?:mentoring|the program|requests|new mentees)",
        r"no (?:more )?(?:new )?requests? for (?:now|a while)",
        r"stop sending (?:me )?(?:new |any |more )?(?:mentee |mentoring )?requests",
        r"hold (?:off )?(?:on )?(?:new )?requests", r"(?:poner|pon|ponme) en pausa",
        r"pausar", r"tomar(?:me)? un descanso", r"mettre en pause", r"faire une pause",
        r"pausieren", r"pause einlegen", r"pause machen", r"keine (?:neuen )?anfragen mehr",
        r"dar uma pausa", r"fazer uma pausa", "暂停", "暂时不接", "先停一下", "休息一下",
        r"mettre (?:\w+ ){0,3}en pause", r"en pause", r"on (?:hold|pause)", r"pausad",
        r"pausar? (?:mi|mis|los|las|el|la|a|o|os|as|minha|meu|meus|minhas) \w+",
        r"pause (?:my|the|these|those|all|your) \w+", r"pausier\w*",
        r"ruhen (?:zu )?lassen", r"(?:teilnahme|mitgliedschaft) (?:\w+ ){0,3}ruhen",
        r"(?:suspend|freeze) (?:my )?(?:participation|membership|account)",
        r"(?:suspendre|geler) (?:ma )?participation", r"suspender (?:mi|minha) participa\w*",
        negatable=True,
    ),
    rule(
        Intent.AVAILABLE,
        r"available again", r"i'?m back", r"back (?:from|after) (?:my |the )?(?:break|pause"
        r"|leave|holiday|vacation|sabbatical)",
        r"(?:can|could) take (?:on )?(?:new |more )?(?:mentees|requests|a mentee|someone"
        r"|students) again",
        r"(?:accept|accepting|take|taking) (?:new )?(?:mentees|requests) again",
        r"(?:please )?resume (?:my |the )?(?:requests|mentoring|matching|sending)",
        r"un-?pause", r"reactivate", r"turn (?:my )?requests back on",
        r"disponible (?:de nuevo|otra vez|nuevamente)", r"de nuevo disponible",
        r"vuelvo a estar disponible", r"reanudar", r"(?:de|a) nouveau disponible", r"reprendre",
        r"wieder verfugbar", r"wieder da", r"wieder anfragen",
        r"disponivel (?:novamente|de novo)", r"(?:novamente|de novo) disponivel", r"retomar",
        "恢复", "可以再接", "重新接受",
        r"(?:take|taking|accept|accepting|take on|taking on) (?:on )?(?:new )?(?:mentees|requests"
        r"|students) again", r"back from (?:my |the )?(?:\w+ )?leave", r"wieder verfugbar",
        r"disponible otra vez", r"(?:ya )?estoy disponible", r"podeis asignarme",
        r"back in the pool", r"wieder (?:\w+ ){0,2}kapazitat", r"ab sofort wieder", r"voltei",
        r"tenho tempo de novo", r"重新接", r"可以重新",
        # being back, said as plainly in each language as "I'm back" ("when I'm back" is neutral)
        r"(?:je )?suis (?:enfin )?de retour", r"(?:ya )?estoy de vuelta",
        r"(?:ya )?he vuelto(?! a )", r"ya volvi(?! a )", r"estou de volta",
        r"ich bin (?:wieder )?zuruck", "我回来了",
        negatable=True,
    ),
    rule(
        Intent.STOP,
        r"unsubscrib\w*", r"stop (?:emailing|e-mailing|mailing|sending|contacting|writing"
        r"|messaging)(?: me| us)?",
        r"stop (?:all )?(?:these |the |this )?(?:emails|e-?mails|messages|mail)",
        r"remove me", r"take me off", r"opt(?:-| )?out", r"leave the program(?:me)?",
        r"quit the program(?:me)?", r"withdraw from the program(?:me)?",
        r"delete my (?:account|profile|data)", r"no more (?:emails|e-?mails|messages)",
        r"(?:don'?t|do not) (?:email|contact|write to) me",
        r"dar(?:me)? de baja", r"(?:me|nos) (?:doy|dan|den|des) de baja",
        r"cancelar (?:mi |la |a )?suscripcion",
        r"no me (?:envien|manden|escriban) mas", r"dejen de (?:enviarme|escribirme|mandarme)",
        r"salir del programa", r"(?:me |se )?desabonner", r"desabonnez-moi",
        r"desinscri\w*", r"arretez de m'(?:envoyer|ecrire)", r"ne m'envoyez plus",
        r"retirez-moi", r"quitter le programme", r"abmelden", r"austragen", r"abbestellen",
        r"keine (?:weiteren )?(?:e-?mails|nachrichten|mails) mehr",
        r"aus dem programm aussteigen", r"descadastr\w*", r"cancelar (?:a )?inscricao",
        r"parem de me (?:enviar|mandar)", r"nao me (?:enviem|mandem) mais", r"me remova",
        r"remover-me", r"sair do programa", "退订", "取消订阅", "不要再发", "别再发",
        "停止发送", "退出项目", "退出计划", "请勿再",
        r"ne (?:plus|pas) m'(?:envoyer|ecrire)\w*", r"ne m'ecrivez plus", r"desinscription",
        r"pare de me (?:enviar|mandar)", r"(?:para|deja) de (?:enviarme|mandarme|escribirme)",
        r"remove me from", r"keine (?:weiteren )?e-?mails", r"stop emailing",
        r"(?:don'?t|do not) want to (?:receive|get) (?:any )?(?:more |further )?(?:of )?"
        r"(?:these |your |the )?(?:e-?mails|messages|mails)",
        r"nao quero (?:mais )?receber", r"no quiero (?:recibir|seguir recibiendo)",
        r"je ne (?:veux|souhaite) plus recevoir", r"(?:mochte|will) keine (?:\w+ )?(?:e-?mails"
        r"|mails|nachrichten) mehr", "不要再给我发", "别再给我发", "不想再收到",
        r"(?:borrad|borren|borre|quitad|quiten|sacad|saquen)(?:me|nos) de (?:la|vuestra|su|tu"
        r"|sus|vuestras) lista",
        r"(?:me|nos) (?:borren|borreis|quiten|quiteis|saquen|saqueis|eliminen|elimineis|den de"
        r" baja) de (?:la|las|vuestra|vuestras|su|sus|tu|tus) (?:\w+ )?listas?",
        # erasure requests: leaving, with the data
        r"delete (?:all )?(?:of )?my (?:personal )?(?:data|details|information|account)",
        r"close my (?:account|profile)", r"gdpr", r"right to (?:be forgotten|erasure)",
        r"(?:borrar|eliminar|borren|eliminen) (?:todos )?mis datos",
        r"(?:supprimer|effacer|supprimez|effacez) (?:toutes )?mes donnees", r"rgpd",
        r"(?:meine )?daten (?:zu )?loschen", r"dsgvo", r"(?:apagar|excluir|apaguem|excluam)"
        r" (?:todos )?(?:os )?meus dados", r"lgpd", "删除我的", "注销",
        # taking oneself off the lists, said as people say it
        r"(?:nehmen sie|nimm) mich (?:\w+ ){0,3}aus (?:dem|der|allen|ihrem|ihrer) (?:\w+ )?"
        r"(?:verteiler|liste|listen)", r"aus (?:dem|allen) (?:\w+-)?verteiler\w*",
        r"(?:me )?(?:tirem|tire|retirem|retire|removam) (?:\w+ ){0,3}da lista",
        r"dadme de baja", r"(?:me )?retirer de (?:toutes )?(?:vos|les|la) (?:\w+ )?listes?",
        r"(?:i'?m|i am) leaving the (?:association|organi[sz]ation|programme|program|network)",
        r"(?:don'?t|do not|never) pair me (?:up )?with anyone", "不用再发给我", "不要再发给我",
        r"从.{0,12}(?:列表|名单)(?:里|中)?(?:删|移除)", "别发了", "不要发了", "别再发",
        negatable=True,
    ),
)

# A whole reply that is one of these words (with "please" and punctuation at most).
STANDALONE: Final = {
    Intent.STOP: ("stop", "alto", "arret", "arrete", "stopp", "pare", "停止", "退出", "baja",
                  "sair"),
    Intent.PAUSE: ("pause", "pausa", "暂停"),
    Intent.AVAILABLE: ("available", "resume", "disponible", "verfugbar", "disponivel", "可以接"),
    Intent.END: ("end", "fin", "ende", "fim", "结束"),
    Intent.HELP: ("help", "ayuda", "ajuda", "aide", "hilfe", "sos", "求助", "帮助"),
}

# "Of course not" before "of course"; "can't wait" before "can't".
EARLY_YES_NO: Final = (
    rule(
        NO, r"of course not", r"claro que no", r"por supuesto que no", r"bien sur que non",
        r"naturlich nicht", r"claro que nao", "当然不", r"no thanks?", r"no thank you",
        r"nein danke", r"non merci", r"no gracias", r"nao,? obrigad[oa]", r"i'?m afraid not",
        "不可能", "不太方便", "不太行", r"(?:aber|leider) nicht",
        r"(?:absolutely|definitely|certainly|surely|sure|really) not(?=\s*(?:[.!,;:)\-–—]|$|"
        r"(?:sorry|thanks?|this|now|right now)\b))", r"claro que nao",
        r"(?:absolument|certainement) pas", r"(?:definitivamente|seguro que) no",
        r"(?:auf keinen fall|sicher nicht|bestimmt nicht)", r"de jeito nenhum",
        r"de ninguna manera", r"nicht (?:dieses|in diesem) jahr",
        # "leider muss ich dieses Jahr passen": having to pass, a card player's no
        r"(?:muss|musste|mussen) (?:ich |wir )?(?:\w+ ){0,3}passen(?![\w])",
    ),
    rule(
        RHETORICAL_YES,
        r"how (?:could|can) i (?:refuse|say no|decline|resist)", r"why wouldn'?t i",
        r"(?:i )?(?:won'?t|can'?t|cannot|couldn'?t|wouldn'?t) (?:say no|refuse"
        r"|turn (?:that|this|it|"
        r"her|him) down)", r"no reason not to", r"je ne dis pas non", r"ich sage nicht nein",
        r"no digo que no", r"nao digo que nao", r"(?:i'?m|i am) not saying no",
        r"(?:da )?sage ich nicht nein", r"(?:wie )?(?:konnte|kann) ich (?:da )?nein sagen",
        r"comment (?:refuser|dire non)", r"no (?:puedo|podria) decir que no",
        r"como (?:decir|negarme|negarse)", r"como (?:poderia|posso) (?:recusar|dizer nao)",
        r"nao (?:posso|poderia) dizer (?:que )?nao", "怎么能拒绝", "怎么会拒绝",
        r"(?:wouldn'?t|won'?t) miss it",
        r"(?:i'?d|i would) never say no", r"comment (?:refuser|dire non)",
        r"je ne peux pas refuser",
        r"impossible de refuser", r"wie konnte ich (?:nein sagen|ablehnen)",
        r"(?:como|quien) (?:podria|poderia) (?:negarme|decir que no|recusar|dizer nao)",
        r"no puedo decir que no", r"nao posso recusar", r"nao tem como recusar",
        r"nao (?:tenho|ha|tem) como (?:dizer (?:que )?nao|recusar)",
        r"no (?:tengo|hay) (?:como|forma de|manera de) (?:decir que no|negarme)",
        r"(?:je ne peux|impossible de) (?:pas )?dire non", r"(?:kann|konnte) (?:da )?nicht nein"
        r" sagen", r"no way (?:i'?d|i would|i could|i'?m) (?:say(?:ing)? no|refus\w*|turn\w* "
        r"(?:it|this|that|her|him) down)",
        r"怎么(?:会|能)拒绝", "无法拒绝", "不能拒绝",
        r"no veo (?:ningun |ni un )?(?:motivo|razon) para (?:decir que )?no",
        r"(?:como|cómo) (?:voy|iba) a decir que no", r"je ne vois pas pourquoi (?:pas|non|refuser)",
        r"(?:kein|keinen) grund,? (?:nein zu sagen|abzulehnen)", r"nao vejo (?:motivo|razao)"
        r" para (?:dizer )?(?:que )?nao", r"(?:i )?(?:don'?t|do not) see why not",
        r"nao vejo (?:porque|por que|pq) nao", r"no veo (?:por que|porque) no",
        r"ich sehe nicht,? warum nicht",
    ),
    rule(
        NO,
        r"(?:i'?d|i would|would) have (?:loved|liked|been happy|been glad) to",
        r"(?:i'?d|i would|would) have loved", r"i wish i could", r"if only i could",
        r"hatte (?:ich )?(?:\w+ )?gerne?", r"ware (?:ich )?gerne? dabei gewesen",
        r"j'aurais (?:bien )?(?:adore|aime|voulu|ete ravie?)",
        r"(?:me )?(?:hubiera|habria) (?:encantado"
        r"|gustado)", r"(?:teria|tinha) (?:adorado|gostado|amado)", "本来想", "本来很想",
        r"not a chance", r"no chance", r"ni hablar", r"hors de question", r"kommt nicht in frage",
        r"nem pensar", r"de ninguna manera", r"pas question", "不用了", "不用", "算了",
        r"ni de (?:broma|cona|cachondeo)", r"ni (?:loca|loco|muerta?o?)", r"ni en suenos",
        r"jamais de la vie", r"(?:certainement|surement) pas", r"nem a pau", r"nem morta?o?",
        r"auf gar keinen fall", r"no way(?= (?:this|that|right|at)|\s*[.!,]|$)",
    ),
    rule(YES, r"can'?t wait", r"cannot wait", r"no doubt", "没问题", "没事"),
    rule(
        SOFT_YES, r"no problem\w*", r"no prob", r"no worries", r"not a problem", r"why not",
        r"sin problema", r"no hay problema", r"ningun problema", r"pas de probleme",
        r"pas de soucis?", r"aucun probleme", r"kein problem", r"keine sorge",
        r"sem problemas?", r"nao tem problema", r"tudo bem", r"por que no", r"pourquoi pas",
        r"warum nicht", r"por que nao", "为什么不",
    ),
    rule(NO, "不好意思", strong=False),
)

YES_PARTICLES: Final = (
    rule(YES, r"yes+", r"yeah", r"yep", r"yup", r"yea", r"sim", r"oui", "是的", "好的", "好啊",
         "好呀", "好吧", "嗯", "👍", "👌", "✅", "✔", "☑", "🙌"),
    Rule(re.compile(LEAD + r"(?:ja|si|jo|klar|claro|vale|okey|oki|k)(?![\w'])"), YES),
    Rule(re.compile(LEAD + r"(?:好|行|对)(?![久多像不于])"), YES, negatable=True),
    rule(YES, r"ok(?:ay)?", r"sure", r"alright", r"all right", negatable=True),
)

NO_PARTICLES: Final = (
    rule(NO, r"nein", r"nope", r"nah", "👎", "❌", "✖", "🚫"),
    Rule(re.compile(LEAD + r"(?:no|non|nao|不)(?![\w'])"), NO),
    Rule(re.compile(r"(?<![\w'])(?:no|nao|non)(?=\s*(?:[.!,;]|$))"), NO),
)

ACCEPT_RULES: Final = (
    rule(
        YES,
        r"of course", r"absolutely", r"definitely", r"certainly", r"happy to", r"glad to",
        r"(?:i'?d|i would|would) (?:love|like) to", r"love to", r"delighted", r"pleased to",
        r"i'?d be (?:happy|glad|delighted|honou?red|thrilled)", r"honou?red", r"count me in",
        r"sounds (?:good|great|perfect|lovely|wonderful|like a plan)", r"i accept",
        r"accept(?:ed|ing)?", r"i'?m in", r"will do", r"i can (?:do|take|mentor|help|make)",
        r"i'?ll (?:do|take|mentor) (?:it|her|him|them|this)", r"with pleasure", r"gladly",
        r"go ahead", r"let'?s do (?:it|this)", r"looking forward", r"my pleasure",
        r"por supuesto", r"con (?:mucho )?gusto", r"encantad[oa]", r"acepto", r"de acuerdo",
        r"me encantaria", r"cuenta conmigo", r"sera un placer", r"un placer",
        r"desde luego", r"d'accord", r"avec (?:grand )?plaisir", r"bien sur", r"volontiers",
        r"j'accepte", r"avec joie", r"ca marche", r"ravie?", r"certainement",
        r"absolument", r"sehr gerne?", r"gerne?", r"naturlich", r"selbstverstandlich",
        r"einverstanden", r"ich nehme (?:an|gerne an)", r"ich akzeptiere", r"mache ich",
        r"bin dabei", r"freue mich", r"mit vergnugen", r"sicher", r"aceito",
        r"com (?:muito )?prazer",
        r"com certeza", r"de acordo", r"pode contar comigo", r"ficarei feliz", r"ficaria feliz",
        r"adoraria", r"claro que sim", "很乐意", "乐意", "愿意", "同意", "接受", "当然",
        r"pode ser", r"vamos la", r"ok pour moi", r"yes please",
        r"(?:to|tou|estou) dentro", r"me apunto", r"je suis (?:partante?|de la partie|dispo)",
        r"(?:na|aber|ja) klar", r"klar doch", r"bin (?:gerne )?dabei", r"count (?:me|us) in",
        "荣幸", "可以",
        negatable=True,
    ),
    rule(YES, r"puedo", r"posso", r"je peux", strong=False, negatable=True),
    rule(YES, r"great", r"perfect", r"perfecto", r"parfait", r"perfekt", r"perfeito", r"cool",
         r"fine", r"beleza", r"super", r"wonderful", r"excellent", strong=False, negatable=True),
)

DECLINE_RULES: Final = (
    Rule(re.compile(r"(?<![\w'])kannst?(?![\w'])[^.!?,;\n]{0,40}?(?<![\w'])nicht(?![\w'])"), NO),
    rule(
        NO,
        r"can'?t", r"cannot", r"can not", r"couldn'?t", r"unable", r"not (?:be )?able",
        r"won'?t be able", r"wouldn'?t be able", r"i'?ll (?:have to )?pass", r"have to pass",
        r"must pass", r"(?:have|need|got) to (?:say no|decline)", r"declin(?:e|ing)",
        r"not (?:this|that) (?:time|year|term|semester|round|cycle|season)",
        r"not (?:right )?now", r"not at (?:the|this) (?:moment|time)", r"too busy", r"swamped",
        r"overcommitted", r"no (?:capacity|bandwidth|time|room)",
        r"(?:at|over) (?:full )?capacity", r"(?:my )?plate is (?:too )?full",
        r"too much on my plate",
        r"(?:don'?t|do not) have (?:the |enough |any )?(?:time|capacity|bandwidth|room)",
        r"not available", r"unavailable", r"not a good (?:fit|match|time)", r"no way",
        r"regretfully", r"(?:i'?d|would) rather not", r"(?:i'?d|would) prefer not",
        r"not interested", r"no puedo", r"no podre", r"no podria", r"no me es posible",
        r"imposible", r"no tengo tiempo", r"este ano no", r"no este ano", r"esta vez no",
        r"no esta vez", r"no estoy disponible", r"rechazo", r"declino", r"debo declinar",
        r"je ne (?:peux|pourrai|pourrais) pas", r"je (?:peux|pourrai) pas", r"impossible",
        r"pas cette (?:fois|annee)", r"je n'ai pas (?:le )?temps", r"pas le temps",
        r"je decline", r"je refuse", r"pas disponible", r"nicht moglich", r"keine zeit",
        r"dieses jahr nicht", r"diesmal nicht", r"ablehnen", r"absagen", r"geht (?:leider )?nicht",
        r"schaffe (?:ich )?(?:das )?(?:leider )?nicht", r"nicht verfugbar", r"nao posso",
        r"nao vou poder", r"nao consigo", r"nao tenho tempo", r"este ano nao",
        r"desta vez nao", r"recuso", r"nao estou disponivel", "不行", "不能", "不可以", "没空",
        r"(?:won'?t|will not|wouldn'?t|would not|doesn'?t|does not|don'?t|do not) (?:permit|allow)",
        r"decliner", r"a saturation", r"(?:deja |suis )complete?", r"(?:i'?m|am) (?:already )?full",
        r"ausgelastet", r"sin cupo", r"lotad[oa]", "满了", "这次pass", "太忙",
        r"(?:i'?ll|i will|gonna|have to|must|will|i) pass(?=\s*(?:[.!,;]|$))",
        r"(?:i'?m|i am) (?:going to|gonna|have to|must) (?:say no|pass|decline)",
        "没有时间", "没时间", "拒绝", "无法", "不了", "不方便", "恐怕不", "做不到",
    ),
    rule(
        NO,
        r"sorry", r"unfortunately", r"regret", r"afraid", r"lo siento", r"lamentablemente",
        r"desafortunadamente", r"perdon", r"disculpa", r"desolee?", r"malheureusement",
        r"helas", r"leider", r"tut mir leid", r"bedauerlicherweise", r"infelizmente",
        r"desculpe?", r"lamento", r"sinto muito", "抱歉", "对不起", "遗憾", "可惜", "恐怕",
        r"retired", r"no longer", r"busy", r"wouldn'?t be (?:much|of much|any) (?:help|use)",
        strong=False,
    ),
)

MET_RULES: Final = (
    rule(
        Intent.NOT_YET,
        r"(?:but )?not since",
        r"(?:haven'?t|have not|hasn'?t|has not) (?:met|seen each other|spoken"
        r"|talked) since", r"nothing since", r"(?:pero )?no desde entonces",
        r"(?:mais )?pas depuis",
        r"seitdem nicht(?: mehr)?", r"(?:mas )?nao desde entao", "之后没", "后来没", "之后就没",
        "后来就没", "以后就没", "以后没",
        r"not yet",
        r"(?:haven'?t|have not|hasn'?t|has not) (?:yet )?(?:met|spoken|talked|had|been able)",
        r"(?:didn'?t|did not) (?:get to |manage to )?(?:meet|talk|speak)", r"no meetings?",
        r"yet to (?:meet|talk|speak)", r"still (?:trying|planning|waiting|working on|scheduling)",
        r"todavia no", r"aun no", r"no nos hemos", r"pas encore", r"on ne s'est pas",
        r"nous ne nous sommes pas", r"noch nicht", r"ainda nao", r"nao nos", "还没", "没有见",
        "尚未", "没见", "还未",
    ),
    rule(
        Intent.MET,
        r"we (?:have |'ve |already )?met", r"met (?:up|last|yesterday|on|this|twice|once|for|over"
        r"|in|at|with|again|already|today|a few|several|two|three|\d)",
        r"i met (?:with )?(?:her|him|them|my)", r"have met", r"we (?:finally|eventually|just) met",
        r"(?:por fin |ya )?(?:quede|quedamos) con", r"nos juntamos",
        r"we (?:still )?meet (?:weekly|regularly|monthly|every|each|once a|twice a|most)",
        r"nos (?:vemos|reunimos) (?:cada|todas|todos|semanalmente|regularmente)",
        r"on se voit (?:chaque|toutes|tous|regulierement)", r"wir treffen uns (?:jede|regelmaßig"
        r"|regelmassig|alle|wochentlich)", r"(?:nos )?encontramo-nos (?:toda|todas|todo)",
        "每周见", "定期见面",
        r"had (?:our|a|the|two|three|\d) (?:first |second |great |good |nice )?(?:meetings?|calls?"
        r"|chats?|coffees?|sessions?|conversations?|zoom|video call)",
        r"we (?:talked|spoke|chatted|connected|caught up|had a call)",
        r"(?:talked|spoke) (?:last|yesterday|on|this)",
        r"nos (?:reunimos|vimos|conocimos|juntamos|hemos reunido|hemos visto)",
        r"(?:ya )?hablamos", r"tuvimos (?:una|nuestra) (?:primera )?(?:reunion|llamada|sesion)",
        r"on s'est (?:vue?s?|rencontree?s?|parle)", r"nous nous sommes (?:vue?s?|rencontree?s)",
        r"(?:nous avons|on a) (?:parle|discute|eu)",
        r"wir haben uns (?:[\w.]+ ){0,4}(?:getroffen|gesehen|unterhalten)", r"wir trafen uns",
        r"haben uns (?:[\w.]+ ){0,4}(?:getroffen|gesehen)",
        r"(?:finally |eventually )?managed (?:a|to meet|to have|to talk|our)",
        r"on a (?:fait|eu) (?:un|une|notre)",
        r"wir haben (?:schon |bereits )?(?:gesprochen|telefoniert)",
        r"wir hatten (?:ein|unser) (?:erstes )?(?:treffen|gesprach)",
        r"nos (?:encontramos|reunimos|falamos|vimos)", r"ja nos (?:encontramos|falamos)",
        r"conversamos", r"tivemos (?:uma|a nossa) (?:primeira )?(?:reuniao|conversa|chamada)",
        r"encontramo-nos", r"encontrei(?:-me)?", r"me encontrei", r"(?:a gente )?se encontrou",
        r"nos encontramos",
        "见过", "见面了", "见了面", "已见面", "已经见面", "聊过", "谈过", "已经见", "通过电话",
        "开过会", "见了",
        negatable=True,
    ),
    rule(Intent.NOT_YET, r"(?:next|this coming) (?:week|month|monday|tuesday|wednesday|thursday"
         r"|friday)", r"scheduled", r"planning to", r"plan to", r"will meet", r"going to meet",
         r"la proxima semana", r"la semaine prochaine", r"nachste woche", r"proxima semana",
         "下周", "计划", strong=False),
)

HELP_RULES: Final = (
    rule(
        Intent.HELP,
        r"need (?:some )?(?:help|advice|support|guidance)", r"could use (?:some )?"
        r"(?:help|advice|support)",
        r"(?:not|isn'?t|aren'?t|wasn'?t|is not|are not) (?:responding|replying|answering"
        r"|responsive)",
        r"(?:hasn'?t|has not|haven'?t|have not) (?:replied|responded|answered|gotten back"
        r"|written back|heard back|heard from)",
        r"no (?:response|reply|answer)", r"never (?:replied|responded|answers?|replies)",
        r"(?:can'?t|cannot|unable to) (?:reach|contact|get hold)", r"ghost(?:ed|ing)?",
        r"unresponsive",
        r"(?:problems?|trouble|issues?) (?:with|scheduling|finding|reaching|getting)",
        r"no (?:me )?(?:responde|contesta)", r"no he podido contactar",
        r"besoin d'aide", r"(?:ne )?(?:me )?repond pas", r"pas de reponse",
        r"(?:antwortet|meldet sich) nicht", r"keine antwort",
        r"nao (?:me )?responde", r"sem resposta", "需要帮", "没有回复", "不回复",
        "没回复", "联系不上", "没有回应",
        r"need (?:someone|somebody|to talk to someone) to talk to", r"need someone",
        r"(?:could|can) (?:someone|somebody|anyone)(?: \w+){0,7} (?:get in touch|reach out|contact"
        r"|talk to|speak to|help)", r"worried about \w+",
        r"(?:change|switch|swap) (?:my |to a (?:new |different )?)?(?:mentor|mentee)",
        r"(?:new|different) (?:mentor|mentee)", r"trocar de (?:mentor|mentora)",
        r"cambiar de (?:mentor|mentora)", r"changer de (?:mentor|mentore?)", r"(?:mentor|mentee)"
        r" wechseln", "换导师", "换个导师", r"sin (?:contestar\w*|responder\w*)",
        r"hasn'?t (?:answered|replied|responded)", r"not a good fit",
        # help asked for: "can you help?", "what can I do?", in each language
        r"(?:can|could) (?:you|someone|anyone) (?:please )?help",
        r"what (?:can|should) (?:i|we) do",
        r"(?:konnen|konnten) sie (?:mir |uns )?(?:\w+ )?helfen", r"kannst du (?:mir )?helfen",
        r"was (?:kann|soll) ich (?:da )?tun", r"(?:pode|podem|poderia) (?:me )?ajudar",
        r"alguem (?:pode|poderia) (?:me )?ajudar", r"o que (?:eu )?(?:posso|devo) fazer",
        r"(?:pouvez|pourriez)-vous (?:m'|nous )?aider", r"que (?:puis|dois)-je faire",
        r"(?:puede|pueden|podrian|podria|puedes) (?:alguien )?(?:me )?ayudar",
        r"que (?:puedo|debo) hacer", "怎么办", "该怎么做", "能帮", "麻烦帮", "帮忙看",
        r"how does (?:this|it|the (?:program\w*|mentoring|scheme)) (?:work|function)",
        r"(?:i'?m|i am) (?:a bit |totally |really |so )?confused", r"no entiendo (?:como|que)",
        r"je ne comprends pas (?:comment|ce que)", r"ich verstehe nicht,? (?:wie|was)",
        r"(?:nao entendi|nao entendo) como", "不明白怎么", "不知道怎么",
        r"(?:reagiert|antwortet) (?:\w+ ){0,3}nicht", r"(?:ne|n') (?:me )?repond (?:plus|pas)",
        r"no (?:me )?(?:responde|contesta) (?:\w+ ){0,2}", r"nao (?:me )?(?:responde|respondeu)",
        "没有回", "不回", "求助",
    ),
)
HELP_WORD: Final = rule(Intent.HELP, r"help", r"ayuda", r"ajuda", r"aide", r"hilfe", r"stuck",
                        r"struggling", "帮助", "帮忙", r"step in", r"have a word with",
                        r"(?:can|could) someone (?:from|at|on) (?:the|your) (?:team|office)")

END_RULES: Final = (
    rule(
        Intent.END,
        r"end (?:it|things|here|now|the mentorship|our (?:mentorship|match|partnership))",
        r"end (?:the |our |this |my )?(?:\w+ )?(?:mentorship|mentoring|match|partnership|pairing)",
        r"(?:like|want|ready|time|happy|going) to (?:end|stop|finish|conclude|wrap up|close)",
        r"wrap (?:it |things )?up", r"conclude", r"finish (?:here|now|up)", r"we'?re done",
        r"that'?s (?:it|all) for (?:us|me)", r"close (?:the|our) (?:match|mentorship)",
        r"call it a (?:year|day)", r"stop here", r"let'?s stop", r"terminar", r"finalizar",
        r"acabar", r"concluir", r"cerrar", r"terminer", r"finir", r"arreter", r"clore",
        r"conclure", r"beenden", r"aufhoren", r"abschließen", r"abschliessen", r"encerrar",
        r"(?:on|nous) (?:s'|)arret\w* (?:la|ici)",
        r"(?:on|nous) (?:va|vais|allons) (?:s'|nous )?arret\w*", r"arrete la", r"on arrete",
        r"qu'on (?:va )?(?:s'|)arret\w*",
        r"(?:we'?ve|we have) (?:done|achieved|accomplished) (?:what|everything|all|our)",
        r"terminamos", r"acabamos (?:aqui|aca)", r"lo dejamos (?:aqui|aca|ahi)", r"encerramos",
        r"paramos por aqui", r"on (?:termine|s'arrete) (?:la|ici)", r"wir horen (?:hier )?auf",
        r"lo dejo (?:aqui|aca|ahi)", r"no tiene (?:mucho )?sentido (?:seguir|continuar)",
        r"fico por aqui", r"ich hore (?:hier )?auf", r"n'a (?:plus )?(?:pas )?de sens de continuer",
        "结束", "到此为止", "就到这里",
        r"put an end to", r"poner fin a", r"mettre (?:un terme|fin) (?:a|au|aux)",
        r"por (?:um )?(?:fim|termo) (?:a|ao|as|aos)(?![\w'])",
        negatable=True,
    ),
)

CONTINUE_RULES: Final = (
    rule(
        Intent.CONTINUE,
        r"continu\w*", r"keep (?:going|meeting|in touch|working|mentoring|it up)", r"carry on",
        r"stay (?:matched|paired|together|connected)", r"another (?:year|term|semester)",
        r"extend\w*", r"sign (?:me|us) up again", r"renew", r"seguir", r"otro ano",
        r"poursuivre", r"une autre annee", r"weitermachen", r"fortsetzen", r"weiterfuhren",
        r"noch ein jahr", r"prosseguir", r"mais um ano", "继续", "再来一年", "延长",
        r"machen weiter", r"weiter(?:hin)? treffen", r"seguimos", r"on continue", r"on poursuit",
        r"vamos continuar", r"keep (?:us|it|things|this) going",
        negatable=True,
    ),
    rule(  # a reason to end denied: "no reason to stop now", "não tem como parar agora"
        Intent.CONTINUE,
        r"no reason to (?:stop|end|quit|give up)", r"(?:kein|keinen) grund,? (?:jetzt )?aufzuhoren",
        r"aucune raison d'arreter", r"pas de raison d'arreter",
        r"(?:ningun|ninguna) (?:motivo|razon) para (?:parar|dejarlo|terminar)",
        r"nao (?:tem|ha) (?:como|motivo para|razao para) (?:parar|terminar)", "没理由停",
    ),
    *END_RULES,
)

CONTRAST: Final = re.compile(
    r"(?<![\w'])(?:but|however|though|although|pero|sin embargo|mais|cependant|aber|jedoch|doch"
    r"|mas|porem|no entanto)(?![\w'])|但|可是|不过"
)
SENTENCE_END: Final = re.compile(r"[.!?。！？\n]")
