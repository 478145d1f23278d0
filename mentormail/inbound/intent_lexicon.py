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
CONDITION: Final = "condition"  # "only if", "as long as": never act
NEUTRAL: Final = "neutral"  # hide the span, signal nothing

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
    """The keys (two-letter word starts, or a CJK character) one of which a match needs.

    Skipping a rule whose keys are absent is what keeps reading fast: Python's regex
    engine tries every alternative at every word start.
    """
    keys = set()
    for phrase in phrases:
        if _is_cjk(phrase[0]):
            keys.add(phrase[0])
            continue
        m = _LITERAL_START.match(phrase)
        literal = m.group(0) if m else ""
        if phrase[len(literal) : len(literal) + 1] in ("?", "*", "{"):
            literal = literal[:-1]
        if len(literal) < 2:
            return None
        keys.add(literal[:2])
    return frozenset(keys)


_WORD = re.compile(r"[a-z0-9']+")


def text_keys(folded: str) -> frozenset[str]:
    """The keys of a text, to test rule gates against."""
    return frozenset({w[:2] for w in _WORD.findall(folded)} | {c for c in folded if _is_cjk(c)})


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
    ),
)

CONDITION_RULES: Final = (
    rule(
        CONDITION,
        r"only if", r"but only", r"as long as", r"provided (?:that|she|he|we|they|it)",
        r"on (?:the |one )?condition",
        r"if (?:we|she|he|they|it|the mentee) (?:can|could|is|are|would)",
        r"if it'?s (?:online|remote|virtual|in person)", r"assuming", r"depending on",
        r"unless", r"(?:can'?t|cannot|can not) (?:meet|start|begin|talk) (?:until|before)",
        r"(?:won'?t|will not|not) be able to (?:meet|start|begin|talk) (?:until|before)",
        r"not (?:until|before)", r"solo si", r"siempre (?:y cuando|que)",
        r"con la condicion", r"a condicion de", r"a menos que", r"seulement si",
        r"a condition (?:que|de)", r"pourvu que", r"tant que", r"sauf si", r"a moins que",
        r"nur wenn", r"sofern", r"solange", r"unter der bedingung", r"vorausgesetzt",
        r"es sei denn", r"so se", r"somente se", r"apenas se", r"desde que", r"contanto que",
        r"com a condicao", r"a nao ser que", "只要", "前提是", "条件是", "只有在", "除非",
    ),
)

# Valid in every context; "stop sending requests" is a pause, so pause rules run first.
ANYWHERE_RULES: Final = (
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
        "无礼", "粗鲁", "不当", "不恰当", "冒犯",
        negatable=True,
    ),
    rule(
        Intent.PAUSE,
        r"pause (?:my |the |all )?(?:requests?|mentoring|account|profile|membership|participation"
        r"|matching|me|it|for now|for a while|for a bit|for a few \w+|until \w+)",
        r"(?:put|place|keep) me on (?:hold|pause)",
        r"(?:my |our )?(?:account|requests|profile) on hold",
        r"take a break from (?:mentoring|the program|requests|new mentees)",
        r"no (?:more )?(?:new )?requests? for (?:now|a while)",
        r"stop sending (?:me )?(?:new |any |more )?(?:mentee |mentoring )?requests",
        r"hold (?:off )?(?:on )?(?:new )?requests", r"(?:poner|pon|ponme) en pausa",
        r"pausar", r"tomar(?:me)? un descanso", r"mettre en pause", r"faire une pause",
        r"pausieren", r"pause einlegen", r"pause machen", r"keine (?:neuen )?anfragen mehr",
        r"dar uma pausa", r"fazer uma pausa", "暂停", "暂时不接", "先停一下", "休息一下",
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
        r"dar(?:me)? de baja", r"de baja", r"cancelar (?:mi |la |a )?suscripcion",
        r"no me (?:envien|manden|escriban) mas", r"dejen de (?:enviarme|escribirme|mandarme)",
        r"salir del programa", r"(?:me |se )?desabonner", r"desabonnez-moi",
        r"desinscri\w*", r"arretez de m'(?:envoyer|ecrire)", r"ne m'envoyez plus",
        r"retirez-moi", r"quitter le programme", r"abmelden", r"austragen", r"abbestellen",
        r"keine (?:weiteren )?(?:e-?mails|nachrichten|mails) mehr",
        r"aus dem programm aussteigen", r"descadastr\w*", r"cancelar (?:a )?inscricao",
        r"parem de me (?:enviar|mandar)", r"nao me (?:enviem|mandem) mais", r"me remova",
        r"remover-me", r"sair do programa", "退订", "取消订阅", "不要再发", "别再发",
        "停止发送", "退出项目", "退出计划", "请勿再",
        negatable=True,
    ),
)

# A whole reply that is one of these words (with "please" and punctuation at most).
STANDALONE: Final = {
    Intent.STOP: ("stop", "alto", "arret", "arrete", "stopp", "pare", "停止", "退出", "baja"),
    Intent.PAUSE: ("pause", "pausa", "暂停"),
    Intent.AVAILABLE: ("available", "resume", "disponible", "verfugbar", "disponivel", "可以接"),
    Intent.END: ("end", "fin", "ende", "fim", "结束"),
}

# "Of course not" before "of course"; "can't wait" before "can't".
EARLY_YES_NO: Final = (
    rule(
        NO, r"of course not", r"claro que no", r"por supuesto que no", r"bien sur que non",
        r"naturlich nicht", r"claro que nao", "当然不", r"no thanks?", r"no thank you",
        r"nein danke", r"non merci", r"no gracias", r"nao,? obrigad[oa]", r"i'?m afraid not",
        "不可能", "不太方便", "不太行", r"(?:aber|leider) nicht",
        r"(?:absolutely|definitely|certainly|surely|sure|really) not", r"claro que nao",
        r"(?:absolument|certainement) pas", r"(?:definitivamente|seguro que) no",
        r"(?:auf keinen fall|sicher nicht|bestimmt nicht)", r"de jeito nenhum",
        r"de ninguna manera", r"nicht (?:dieses|in diesem) jahr",
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
        "没有时间", "没时间", "拒绝", "无法", "不了", "不方便", "恐怕不", "做不到",
    ),
    rule(
        NO,
        r"sorry", r"unfortunately", r"regret", r"afraid", r"lo siento", r"lamentablemente",
        r"desafortunadamente", r"perdon", r"disculpa", r"desolee?", r"malheureusement",
        r"helas", r"leider", r"tut mir leid", r"bedauerlicherweise", r"infelizmente",
        r"desculpe?", r"lamento", r"sinto muito", "抱歉", "对不起", "遗憾", "可惜", "恐怕",
        strong=False,
    ),
)

MET_RULES: Final = (
    rule(
        Intent.NOT_YET,
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
        r"i met (?:with )?(?:her|him|them|my)", r"have met",
        r"had (?:our|a|the|two|three|\d) (?:first |second |great |good |nice )?(?:meetings?|calls?"
        r"|chats?|coffees?|sessions?|conversations?|zoom|video call)",
        r"we (?:talked|spoke|chatted|connected|caught up|had a call)",
        r"(?:talked|spoke) (?:last|yesterday|on|this)",
        r"nos (?:reunimos|vimos|conocimos|juntamos|hemos reunido|hemos visto)",
        r"(?:ya )?hablamos", r"tuvimos (?:una|nuestra) (?:primera )?(?:reunion|llamada|sesion)",
        r"on s'est (?:vue?s?|rencontree?s?|parle)", r"nous nous sommes (?:vue?s?|rencontree?s)",
        r"(?:nous avons|on a) (?:parle|discute|eu)",
        r"wir haben uns (?:schon |bereits )?(?:getroffen|gesehen|unterhalten)",
        r"wir haben (?:schon |bereits )?(?:gesprochen|telefoniert)",
        r"wir hatten (?:ein|unser) (?:erstes )?(?:treffen|gesprach)",
        r"nos (?:encontramos|reunimos|falamos|vimos)", r"ja nos (?:encontramos|falamos)",
        r"conversamos", r"tivemos (?:uma|a nossa) (?:primeira )?(?:reuniao|conversa|chamada)",
        "见过", "见面了", "见了面", "聊过", "谈过", "已经见", "通过电话", "开过会", "见了",
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
        r"help", r"need (?:some )?(?:help|advice|support|guidance)", r"could use (?:some )?"
        r"(?:help|advice|support)",
        r"(?:not|isn'?t|aren'?t|wasn'?t|is not|are not) (?:responding|replying|answering"
        r"|responsive)",
        r"(?:hasn'?t|has not|haven'?t|have not) (?:replied|responded|answered|gotten back"
        r"|written back|heard back|heard from)",
        r"no (?:response|reply|answer)", r"never (?:replied|responded|answers?|replies)",
        r"(?:can'?t|cannot|unable to) (?:reach|contact|get hold)", r"ghost(?:ed|ing)?",
        r"unresponsive", r"stuck", r"struggling",
        r"(?:problems?|trouble|issues?) (?:with|scheduling|finding|reaching|getting)",
        r"ayuda", r"no (?:me )?(?:responde|contesta)", r"no he podido contactar", r"aide",
        r"besoin d'aide", r"(?:ne )?(?:me )?repond pas", r"pas de reponse", r"hilfe",
        r"(?:antwortet|meldet sich) nicht", r"keine antwort", r"ajuda",
        r"nao (?:me )?responde", r"sem resposta", "帮助", "帮忙", "需要帮", "没有回复", "不回复",
        "没回复", "联系不上", "没有回应",
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
        negatable=True,
    ),
    rule(
        Intent.END,
        r"end (?:it|things|here|now|the mentorship|our (?:mentorship|match|partnership))",
        r"(?:like|want|ready|time|happy|going) to (?:end|stop|finish|conclude|wrap up|close)",
        r"wrap (?:it |things )?up", r"conclude", r"finish (?:here|now|up)", r"we'?re done",
        r"that'?s (?:it|all) for (?:us|me)", r"close (?:the|our) (?:match|mentorship)",
        r"call it a (?:year|day)", r"stop here", r"let'?s stop", r"terminar", r"finalizar",
        r"acabar", r"concluir", r"cerrar", r"terminer", r"finir", r"arreter", r"clore",
        r"conclure", r"beenden", r"aufhoren", r"abschließen", r"abschliessen", r"encerrar",
        "结束", "到此为止",
        negatable=True,
    ),
)

CONTRAST: Final = re.compile(
    r"(?<![\w'])(?:but|however|though|although|pero|sin embargo|mais|cependant|aber|jedoch|doch"
    r"|mas|porem|no entanto)(?![\w'])|但|可是|不过"
)
SENTENCE_END: Final = re.compile(r"[.!?。！？\n]")
