"""When the assistant must hand a conversation to a person instead of answering.

Each reason is read from several signals, none of them decisive alone where it can misfire:
cue patterns written for the reason (a person asked for, a threat, a lawyer, a death in the
family, a login the customer did not make, a deadline with something at stake), the
message's meaning (MiniLM similarity to example messages of each reason, counted only when
clearly closer to them than to ordinary support questions, see `intents.py`), and the harm
classifier's severities. The classifier is a harm model, not a support-intent model, so its
scores only confirm a reason another signal points to: "I want to speak to a real person"
scoring as self-harm must not become a distress handoff. Missing evidence is decided after
retrieval (`evidence.py`, `scope.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from tandem.safety.categories import Category
from tandem.safety.classifier import Classifier


class Reason(StrEnum):
    """Why a conversation went to a person."""

    HUMAN_REQUESTED = "human_requested"
    LEGAL = "legal"
    ABUSE = "abuse"
    DISTRESS = "distress"
    ACCOUNT_COMPROMISE = "account_compromise"
    URGENT = "urgent"
    NO_EVIDENCE = "no_evidence"  # nothing retrieved is about the question
    NOT_IN_KB = "not_in_kb"  # a nearby topic is documented, the question's subject is not


# The order in which reasons win when several apply: safety first, then what a person must
# act on, then a plain request for one.
PRIORITY = (
    Reason.DISTRESS,
    Reason.ABUSE,
    Reason.LEGAL,
    Reason.ACCOUNT_COMPROMISE,
    Reason.URGENT,
    Reason.HUMAN_REQUESTED,
)
# Margins of meaning (see `intents.py`) enough alone, and enough with another signal.
DECISIVE = 0.14
SUGGESTIVE = 0.06
# Higher bars for meaning alone where ordinary questions sit near the examples (a scam
# text asked about, a charge queried, a change the help centre explains how to make).
ALONE = {Reason.HUMAN_REQUESTED: 0.25, Reason.ACCOUNT_COMPROMISE: 0.25}
_I = re.IGNORECASE

_HUMAN = re.compile(
    r"\b(?:(?:speak|talk|chat|get|connect|transfer|put|pass)\w*\s+(?:me\s+)?(?:to|with|through)?"
    r"\s*(?:a|an|the|some|your|real|actual|live)?\s*(?:real\s+|actual\s+|live\s+)?"
    r"(?:human|person|people|agent|representative|rep|operator|manager|supervisor|someone|"
    r"somebody|staff|employee|customer service|team)"
    r"|(?:real|actual|live|proper)\s+(?:human|person|agent|people)"
    r"|(?:need|want|like|have|get)\s+(?:to\s+(?:see|reach)\s+)?(?:a|an|some)\s+(?:real\s+)?"
    r"(?:human|person|agent|representative|operator|manager|supervisor)\b"
    r"|human\s+(?:agent|being|support|help)"
    r"|(?:not|stop)\s+(?:talking|chatting)?\s*(?:to|with)?\s*(?:a|the|this)?\s*(?:bot|robot|machine|ai)"
    r"|(?:are you|is this) a (?:bot|robot|machine)"
    r"|escalate|call me back|ring me back|callback|phone call from|manager now|supervisor"
    r"|some(?:one|body) (?:from|at|on) (?:your|the) (?:team|company|support|office)"
    r"|(?:agent|representative|human|operator)\s+(?:please|pls|plz|now)\b"
    r"|(?:put|pass|transfer|connect|get|send)\s+me\s+(?:through\s+|over\s+|across\s+)?"
    r"(?:to|with|onto|on to)\s+(?:\w+\s+){0,3}?(?:someone|somebody|person|human|agent|"
    r"department|manager|team)"
    r"|^\s*(?:human|agent|representative|operator|person)\s*(?:please|pls|plz)?\s*[.!?]*\s*$)",
    _I,
)
# A customer asking how to reach the company ("is there a number I can call? I'd rather
# speak to someone") wants the contact details the help centre gives, not a handoff.
_CONTACT_ASK = re.compile(
    r"\b(?:is there|what'?s|what is|do you have|can i (?:get|have)|where (?:can|do) i find)\s+"
    r"(?:a|an|the|your)?\s*(?:\w+\s+)?(?:phone|telephone|contact|helpline)\s*(?:number|line|"
    r"details|email)?|\bhow (?:do|can) i (?:contact|call|phone|ring|reach|email)\b"
    r"|\bwhat (?:times?|hours?|days?)\b",
    _I,
)
_INSIST = re.compile(
    r"\b(?:now|immediately|third time|again|not a (?:bot|chatbot|machine)|"
    r"stop (?:sending|replying)|transfer|put me through|escalate)\b",
    _I,
)
# Work on the customer's own case that only staff can do: chasing a case that has gone
# quiet, or asking the company to act on a record named by a reference, an address, an
# e-mail or a card.
_CASE_QUIET = re.compile(
    r"\b(?:(?:nobody|no one|no-one|noone)\s+has\s+(?:been\s+in\s+touch|got(?:ten)?\s+back|"
    r"replied|contacted|called|answered)|(?:haven'?t|have not|hasn'?t|has not|never)\s+(?:heard|"
    r"had a reply|had an answer|got a reply|gotten a reply)\s*(?:back|anything)?|still (?:no|not)"
    r" (?:reply|answer|response|word|heard)|where (?:it'?s|it has|my \w+ has) got to|"
    r"what'?s (?:happening|going on) with (?:my|our|the) \w+)",
    _I,
)
_SOMEONE_ACT = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|someone|somebody|one of you|a member of (?:staff|"
    r"your team))\s+(?:please\s+)?(?:(?:from|at|in|on)\s+(?:\w+\s+){1,3}?)?(?:check|look\s+"
    r"(?:at|into)|chase|find out|contact|call|ring|phone|email|e-mail|move|transfer|merge|change|"
    r"update|switch|arrange|sort out|put)\b"
    r"|^\s*please\s+(?:change|update|move|transfer|merge|switch|cancel|refund|put|send|sort)\b",
    _I | re.MULTILINE,
)
_RECORD = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\bending (?:in )?\d{3,4}\b|\b[A-Z]{2,}-?\d{3,}\b|"
    r"\b\d{1,4}\s+[A-Z][a-z]+\s+(?:Road|Rd|Street|St|Avenue|Ave|Lane|Rise|Close|Drive|Way|"
    r"Grove|Court|Crescent|Place|Gardens|Terrace|Hill|Park)\b|\b(?:Mrs?|Ms|Dr)\.?\s+[A-Z][a-z]+|"
    r"\b(?:account|record|file|claim|booking|order|case|application) (?:number|no\.?|ref\w*)\b",
)
_LEGAL = re.compile(
    r"\b(?:lawyers?|attorneys?|solicitors?|law ?suits?|sue|suing|legal action|legal proceedings"
    r"|(?:issue|issuing|start|starting) proceedings|take (?:you|this|it) to court|small claims"
    r"|court|tribunal|litigation|class action|cease and desist|legal (?:team|counsel|department)"
    r"|breach(?:es|ed)? (?:of )?(?:our|the|my) contract)\b",
    _I,
)
# Taking a claim or complaint to a named body ("I'm lodging a claim with NSW Fair Trading").
_LODGING = re.compile(
    r"\b(?i:(?:i'?m|i am|we'?re|we are|i'?ve|i have|we'?ve|we have|i'?ll|i will|we'?ll|we will)"
    r"\s+(?:now\s+|already\s+|going to\s+|about to\s+)?(?:lodg|fil|issu|submitt?|tak|bring|"
    r"referr?)\w*\s+(?:a |an |this |it |the matter )?(?:formal |legal )?(?:claim|complaint|case|"
    r"action|dispute|this|it)?\s*(?:with|against|to)\s+(?:the\s+)?)(?!you\b|your\b|u\b)[A-Z]",
)
# Escalation bodies a help centre may document ("can I go to the ombudsman?"): a legal
# matter when the customer says they are taking it there, not when they ask about it.
_REGULATOR = re.compile(
    r"\b(?:ombudsman|regulator|trading standards|consumer protection|attorney general|"
    r"report(?:ing)? (?:you|this|it|them) to|(?:ftc|bbb|cfpb|fca) complaint|file a complaint with|"
    r"data protection (?:authority|regulator|commission)|chargeback)\b",
    _I,
)
_INTENT = re.compile(
    r"\b(?:i|we)(?:'m| am|'ll| will|'ve| have| are|'re)? (?:going to |about to |now |already )?"
    r"(?:report\w*|complain\w*|escalat\w*|contact\w*|tak\w+|fil\w+|writ\w+|go\w*|rais\w+|"
    r"start\w*|call\w*|done|been)\b",
    _I,
)
_ASKING = re.compile(
    r"\b(?:can|could|may|should|do|would|am) (?:i|we)\b|\bhow (?:do|can|long)\b|"
    r"^\s*(?:what|how|when|where|who|is|are|does)\b",
    _I,
)
_SELF_HARM = re.compile(
    r"\b(?:(?:want|going) to (?:die|end it)|end (?:it all|my life)|kill myself|suicid\w*|"
    r"self[- ]harm|hurt myself|can'?t go on|no reason to live|give up on (?:life|everything)|"
    r"(?:i'?m|i am|feel(?:ing)?) (?:so )?(?:desperate|hopeless|suicidal|in crisis|worthless)|"
    r"hopeless|(?:no|not any) point (?:in|to) (?:anything|living|going on|life)|"
    r"can'?t see the point|(?:don'?t|do not) see the point|nothing to live for|"
    r"don'?t want to (?:be here|live|wake up)|better off without me|"
    r"can'?t (?:cope|take (?:it|this|any ?more))|at the end of my (?:rope|tether)|"
    r"panic attack|having a breakdown|(?:i'?m|i am) (?:being )?(?:abused|in danger|unsafe))",
    _I,
)
# Being overwhelmed, in the customer's own words: enough alone.
_OVERWHELMED = re.compile(
    r"\b(?:(?:can'?t|cannot|couldn'?t) (?:stop (?:crying|shaking|panicking)|face (?:any|it|this|"
    r"anything|doing)|think straight|keep going|manage (?:any|it|this|anything)|breathe properly|"
    r"get out of bed|sleep)|can barely (?:get out of bed|function|breathe|think)|"
    r"(?:fall|falling|fell) apart|in pieces|(?:been|keep|kept) crying|i feel (?:so )?(?:scared|"
    r"terrified|broken|lost|alone)|(?:haven'?t|have not) slept|"
    r"(?:no|can'?t see a|don'?t see a|can'?t find a) way out|"
    r"(?:everything|it all|life) (?:feels|seems|is) (?:pointless|meaningless|too much)|"
    r"(?:feel|feeling) like giving up|giving up on|"
    r"(?:don'?t|do not) know how (?:much (?:more|longer)|i'?m going to|i am going to|i'?ll|i will|"
    r"to (?:cope|go on|get through))|"
    r"how (?:much (?:more|longer)) (?:of this )?i can (?:take|keep going|go on|cope))",
    _I,
)
# Not knowing what to do, after a loss or a blow: distress; alone it is an ordinary question.
_AT_A_LOSS = re.compile(
    r"\b(?:(?:don'?t|do not) (?:even )?know (?:what (?:to do|i'?m (?:meant|supposed) to do)|"
    r"where to (?:start|turn)|who (?:to|else to) (?:talk|turn|speak) to))",
    _I,
)
_BEREAVEMENT = re.compile(
    r"\b(?:(?:my|our)\s+(?:\w+\s+){0,3}?(?:died|has died|passed away|passed on|is dying|"
    r"was killed|has passed)|(?:death|loss|funeral) of my|(?:lost|losing) my (?:husband|wife|"
    r"partner|mother|father|mum|mom|dad|son|daughter|child|baby|brother|sister)|bereave\w*|"
    r"widow(?:ed|er)?|terminally ill|just been diagnosed|put (?:\w+ ){0,2}to sleep|"
    r"died in my arms)",
    _I,
)
_HARDSHIP = re.compile(
    r"\b(?:lost my (?:job|business|home|house)|(?:being|been|getting) evicted|eviction|"
    r"can'?t afford (?:food|to eat|rent|my rent|to live)|drowning in debt|"
    r"my (?:business|marriage|life) is (?:failing|falling apart|over))",
    _I,
)
# The calm practical question of someone bereaved ("my father died in August: how do I
# close his account?") is answered; the loss with nothing asked is a person's to read.
_PRACTICAL_ASK = re.compile(
    r"(?:^|[.!?]\s+|,\s*|\band\s+)(?:how|what|when|where|which|can|could|do|does|is|are|will|"
    r"would|should|am)\b[^.!?]*\?",
    _I,
)
_INSULT = (
    r"(?:idiots?|morons?|stupid|useless|pathetic|worthless|incompetent|garbage|trash|joke|"
    r"clowns?|scammers?|thie(?:f|ves)|crooks?|liars?|muppets?|imbeciles?|clueless|shambles|"
    r"disgrace|rubbish|cowboys|parasites?|bastards?|losers?|dumb|scumbags?|crooks)"
)
# Words that insult whoever they are said of (not "rubbish" or "joke", which a help centre
# may use plainly): with a word or two between them and "you".
_SLUR = (
    r"(?:idiots|morons|clowns|scammers|thieves|crooks|liars|muppets|imbeciles|cowboys|"
    r"parasites|bastards|losers|scumbags|criminals|fraudsters|con artists)"
)
_ABUSE = re.compile(
    r"\b(?:(?:you|y'all|u|ya)(?:'re| are| r)?\s+(?:all |just |guys |people |lot )?"
    r"(?:a |an |so |such an? |bunch of |fucking |bloody |damn |absolute |complete |total |"
    r"utter )*"
    + _INSULT
    + r"|(?:you|y'all|ya|your (?:\w+ )?(?:staff|people|team|drivers?|crews?))(?:'re| are| r)?"
    r"\s+(?:\w+\s+){0,6}?"
    + _SLUR
    + r"|(?:what an?|such an?|bunch of|pack of|load of|shower of) (?:\w+ ){0,2}"
    + _INSULT
    + r"|(?:this|your|the) (?:\w+ ){0,2}(?:company|app|airline|bank|service|council|university|"
    r"business|firm|outfit|shop|place|club|network|insurer) (?:is|are) (?:an? |the |such an? )?"
    r"(?:\w+ ){0,2}(?:joke|garbage|rubbish|trash|shambles|disgrace|scam|bullshit|crap|shit)"
    r"|most (?:\w+ )?(?:garbage|useless|pathetic|incompetent|rubbish) (?:company|service|app|firm)"
    r"|(?:complete|total|absolute|utter) (?:bullshit|garbage|crap|shite?)"
    r"|shut (?:the (?:hell|fuck) )?up|screw you|f+u+c+k+\s*(?:you|off|this)|go to hell|"
    r"piece of (?:shit|crap|garbage)|stfu|wtf is wrong with you|"
    r"i(?:'ll| will) (?:find|hurt|kill|get) you|i know where (?:you|your)|watch your back|"
    r"you(?:'ll| will) (?:regret|be sorry)|(?:pay|paying) (?:you|it|them) a visit|"
    r"(?:something|someone) (?:bad )?(?:will|might|could) happen to (?:you|your))",
    _I,
)
# Profanity written with its letters masked ("f***ing"), which a word list does not see.
_MASKED = re.compile(r"\b(?:f|sh|b)[*#@%$!_-]{2,}\w*", _I)
# A threat against a person, veiled: what the customer will do to someone, and the harm.
_THREAT_DO = re.compile(
    r"\bi(?:'ll| will|'m going to| am going to|'m gonna| am gonna)\s+(?:make sure|sort (?:him|"
    r"her|them|you|that \w+) out|deal with (?:him|her|them|you)|teach (?:him|her|them|you)|"
    r"make (?:him|her|them|you) (?:pay|regret|sorry))",
    _I,
)
_THREAT_HARM = re.compile(
    r"\b(?:(?:doesn'?t|does not|won'?t|will not|don'?t|never) walk (?:away|out|again)|in one piece|"
    r"regrets? it|(?:won'?t|will not) be (?:driving|walking|working|smiling|able to) \w*|"
    r"for a while|i know where (?:the|his|her|their|you|your|he|she|they)\b|myself\b)",
    _I,
)
_COMPROMISE = re.compile(
    r"\b(?:hacked|hijacked|compromised|account takeover|identity theft|fraud(?:ulent|ster)?|"
    r"unauthori[sz]ed|scammed out of|"
    r"(?:that |which )?(?:i|we) (?:did not|didn'?t|never|do not|don'?t|haven'?t) (?:make|made|"
    r"place|placed|authori[sz]e|authori[sz]ed|book|booked|add|added|buy|bought|order|ordered|"
    r"request|requested|recogni[sz]e|sign up for|signed up for|approve|approved|ask for|"
    r"asked for|agree to|agreed to)|(?:i|we)'?ve never (?:been to|heard of|signed up)|"
    r"(?:that |which )?(?:i'?m|i am|we'?re|we are) not (?:making|doing|requesting|sending)\b|"
    r"(?:charged|billed|debited|taken|paid|deducted|took|came out|come out|gone out|went out)"
    r"(?: me| us)?\b[^.?!]{0,50}?\b(?:twice|two times|double|2x)\b(?! (?:a|per|each|every) )|"
    r"double[- ](?:charged|billed|payment|charge)|charged (?:me |us )?for (?:the same|it) twice|"
    r"duplicate (?:charge|payment|transaction)|not me\b|wasn'?t me\b|"
    r"\b(?:two|three|four|five|several|multiple|\d) (?:[$£€]?\d[\d.,]* )?(?:charges|payments|"
    r"debits|transactions)\b(?:[^.?!]|\.\d){0,60}\bonly (?:have|had|has|made|bought|ordered|use) "
    r"(?:one|a|1)\b|"
    r"without my (?:permission|consent|knowledge|authori[sz]ation)|"
    r"some(?:one|body)(?: else)? (?:has|knows|got) (?:my|our) (?:password|login|pin|card details)|"
    r"(?:changed|reset) (?:my|our) (?:password|email|e-mail|bank details|phone number|pin)"
    r" without)",
    _I,
)
# Someone else acting on the account, unless the customer asks how to stop it happening
# ("how do I stop someone using my card?" is a question about blocking a lost card).
_SOMEONE_ELSE = re.compile(
    r"\bsome(?:one|body)(?: else)? (?:has |had |have )?(?:logged|logging|log|signed|broke|got|"
    r"gained|hacked) (?:in|into|access)|"
    r"\bsome(?:one|body)(?: else)? (?:has |had )?(?:been )?(?:using|used|accessed|changed|deleted|"
    r"added|booked|spent|withdr[ae]w\w*|took|taken|moved|transferred|made|placed|cancel+ed)\b"
    r"(?! me\b)",
    _I,
)
_PREVENTING = re.compile(r"\b(?:stop|prevent|block|so|in case|before|avoid)\s*$", _I)
_URGENT_WORD = re.compile(
    r"\b(?:urgent\w*|emergency!|critical|desperately need|"
    r"(?:this is|it'?s|i have|we have|having|family|medical) an? (?:\w+ )?emergency|"
    r"stranded|stuck at the (?:airport|station|border)|time[- ]sensitive)"
    r"|^\W*emergency\b|\bemergency\s*[-:!]",
    _I,
)
# Haste alone ("asap", "am I charged right away?") is not urgency; with a problem it is.
_HASTE = re.compile(r"\b(?:asap|immediately|right away)\b(?![^.!?]{0,30}\?)", _I)
_SOON = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening)|right now|"
    r"in (?:\d+|an?|a few|two|three|four|five|ten|twenty|thirty|couple of|a couple of) "
    r"(?:hours?|hrs?|minutes?|mins?)|within (?:the |an )?(?:hour|\d+ (?:hours?|hrs?|minutes?)))\b",
    _I,
)
_STAKES = re.compile(
    r"\b(?:payroll|rent|mortgage|salary|salaries|wages|flight|boarding|launch|deadline|due|"
    r"surgery|hospital|funeral|eviction|evicted|cut off|disconnected|run(?:ning)? out|"
    r"newborn|oxygen|medical|leaves?|departs?|closing|exams?|assessments?|tests?|interview|"
    r"appointment|treatment|operation|vet|formula|feeds?|insulin|medication|medicine)\b",
    _I,
)
_PROBLEM = re.compile(
    r"\b(?:help|can'?t|cannot|won'?t|unable|stuck|swallowed|stolen|lost|blocked|declined|"
    r"failed|frozen|suspended|locked|down|outage|not working|broken|no (?:power|heat|heating|"
    r"money|access)|none left|need)\b",
    _I,
)
# Danger to people or property happening now: a fire, a flood, an injury, a hazard in the
# street, someone trapped. Asked about in general ("what do I do if there's a fire?") it is
# an ordinary question.
_DANGER = re.compile(
    r"\b(?:on fire|caught fire|(?:is|are) burning|smoke (?:is )?(?:coming|pouring)|"
    r"(?:is|are|water'?s?) (?:pouring|gushing|flooding)|flooded|"
    r"sparking|(?:live|loose|bare|exposed) (?:wires?|cables?)|(?:wire|cable)s? (?:is |are )?"
    r"hanging|electric shock|(?:is|are|got|been|was) (?:badly )?(?:hurt|injured)|bleeding|"
    r"unconscious|not breathing|can'?t breathe|seizures?|(?:is|are) swelling|swelling up|"
    r"allergic reaction|anaphyla\w*|choking|poisoned|(?:just )?crashed|collision|"
    r"police are|ambulance|alarm is going off|locked in|trapped|collapsed|"
    r"(?:ate|eaten|swallowed|drank|drunk) (?:a |an |some |the |my )?(?:whole |full )?(?:\w+ ){0,3}?"
    r"(?:chocolate|poison|pills|tablets|bleach|batteries|battery|medication|antifreeze)|"
    r"(?:and|he'?s|she'?s|it'?s) (?:is )?(?:shaking|vomiting|fitting|convulsing))\b",
    _I,
)
_NOW = re.compile(
    r"\b(?:just|right now|now|at the moment|currently|this (?:morning|afternoon|evening)|"
    r"tonight|keeps?|what do i do|what should i do|need someone|help)\b",
    _I,
)
_HYPOTHETICAL = re.compile(r"\b(?:if|in case|what happens when|covered|cover for)\b[^.?!]*$", _I)
# Someone pressing a child for contact or pictures: a safeguarding matter for a person now.
_SAFEGUARDING = re.compile(
    r"\b(?:ask(?:ing|ed|s)?|messag\w+|pressur\w+|groom\w*)\s+(?:\w+\s+){0,4}?for\s+(?:photos|"
    r"pictures|pics|images|videos|nudes)|\bgroom(?:ing|ed)\b",
    _I,
)
_BLOCKED = re.compile(
    r"\b(?:can'?t|cannot|won'?t|unable|stuck|swallowed|stolen|blocked|declined|failed|frozen|"
    r"suspended|locked|down|outage|not working|broken|cut off)\b",
    _I,
)
_DIRECTED = re.compile(r"\b(?:you|your|u|ur|y'all)\b", _I)


def _someone_else(text: str) -> bool:
    return any(
        not _PREVENTING.search(text[: match.start()]) for match in _SOMEONE_ELSE.finditer(text)
    )


def _in_danger(text: str) -> bool:
    """A danger happening now, not asked about in general."""
    for match in _DANGER.finditer(text):
        if _HYPOTHETICAL.search(text[: match.start()]):
            continue
        if _NOW.search(text) or re.search(r"\bNOW\b", text):
            return True
    return False


def _distressed(text: str) -> bool:
    if _SELF_HARM.search(text) or _OVERWHELMED.search(text):
        return True
    loss = _BEREAVEMENT.search(text) or _HARDSHIP.search(text)
    if loss and _AT_A_LOSS.search(text):
        return True
    # A bereavement told with nothing practical asked.
    return bool(_BEREAVEMENT.search(text)) and not _PRACTICAL_ASK.search(text)


def _threatening(text: str) -> bool:
    return bool(_THREAT_DO.search(text) and _THREAT_HARM.search(text)) or bool(
        re.search(
            r"\b(?:(?:doesn'?t|won'?t) walk (?:away|out)|in one piece|i know where (?:the|his|her|"
            r"their) \w+(?: \w+)? (?:is|are|lives?))\b",
            text,
            _I,
        )
        and re.search(r"\b(?:if|unless|or else|next time|one more time|regret)\b", text, _I)
    )


def _wants_person(text: str) -> bool:
    if _HUMAN.search(text):
        # "is there a number I can call? I'd rather speak to someone": the contact details.
        return not (_CONTACT_ASK.search(text) and not _INSIST.search(text))
    if _CASE_QUIET.search(text) and re.search(
        r"\b(?:\d+|a few|two|three|several) (?:days?|weeks?|months?)\b|\bago\b|\bstill\b", text, _I
    ):
        return True
    return bool(_SOMEONE_ACT.search(text) and _RECORD.search(text))


def cues(text: str) -> set[Reason]:
    """The reasons whose cue patterns the message matches."""
    found = set()
    if _distressed(text):
        found.add(Reason.DISTRESS)
    if (
        _ABUSE.search(text)
        or _threatening(text)
        or (_MASKED.search(text) and _DIRECTED.search(text))
    ):
        found.add(Reason.ABUSE)
    if (
        _LEGAL.search(text)
        or _LODGING.search(text)
        or (_REGULATOR.search(text) and _INTENT.search(text) and not _ASKING.search(text))
    ):
        found.add(Reason.LEGAL)
    if _COMPROMISE.search(text) or _someone_else(text):
        found.add(Reason.ACCOUNT_COMPROMISE)
    if (
        _URGENT_WORD.search(text)
        or (_SOON.search(text) and _STAKES.search(text) and _PROBLEM.search(text))
        or (_HASTE.search(text) and _BLOCKED.search(text))
        or _in_danger(text)
        or _SAFEGUARDING.search(text)
    ):
        found.add(Reason.URGENT)
    if _wants_person(text):
        found.add(Reason.HUMAN_REQUESTED)
    return found


class HandoffDetector:
    """Reads a customer message for reasons to bring in a person."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def detect(self, text: str, meaning: Mapping[Reason, float] | None = None) -> Reason | None:
        """The most pressing reason found; None when the assistant may answer.

        `meaning` holds, per reason, how far the message's meaning sits closer to that
        reason's examples than to ordinary questions (see `intents.py`). A reason's own cue
        outranks the meaning: the meaning decides alone only when no cue matched, from
        DECISIVE (from ALONE for a request for a person and for a compromised account,
        whose examples sit close to plain questions about charges, scams and changes), and
        from SUGGESTIVE only with the classifier agreeing.
        """
        meaning = meaning or {}
        found = cues(text)
        if not found:
            found = {r for r, margin in meaning.items() if margin >= ALONE.get(r, DECISIVE)}
        suggested = {r for r, margin in meaning.items() if margin >= SUGGESTIVE}
        harm = self._harm(text)
        # The classifier confirms: distress it scores needs a cue or the meaning to agree,
        # and hostility it scores must be aimed at us.
        if Reason.DISTRESS in suggested and harm[Category.SELF_HARM] >= 2:
            found.add(Reason.DISTRESS)
        hostile = max(harm[Category.HATE], harm[Category.VIOLENCE]) >= 4 or harm["profanity"]
        if hostile and _DIRECTED.search(text) and (Reason.ABUSE in suggested or harm["profanity"]):
            found.add(Reason.ABUSE)
        for reason in PRIORITY:
            if reason in found:
                return reason
        return None

    def _harm(self, text: str) -> dict[Category | str, int]:
        analysis = self.classifier.analyze(
            text, (Category.SELF_HARM, Category.HATE, Category.VIOLENCE)
        )
        severities: dict[Category | str, int] = {
            c: int(analysis.severities.get(c, 0))
            for c in (Category.SELF_HARM, Category.HATE, Category.VIOLENCE)
        }
        severities["profanity"] = int(bool(analysis.profanity))
        return severities


REPLIES: dict[Reason, str] = {
    Reason.HUMAN_REQUESTED: (
        "Of course. I've passed this conversation to our support team; a person will reply "
        "here as soon as they can."
    ),
    Reason.LEGAL: (
        "I understand this is serious. I can't advise on legal matters, so I've passed your "
        "conversation to our team and a person will follow up with you here."
    ),
    Reason.ABUSE: (
        "I'm sorry you're frustrated. I've passed this conversation to a member of our team, "
        "who will pick it up here."
    ),
    Reason.DISTRESS: (
        "I'm really sorry you're going through this. I've asked a person from our team to "
        "reply to you here right away. If you are in danger or thinking about harming "
        "yourself, please contact your local emergency number or a crisis line now."
    ),
    Reason.ACCOUNT_COMPROMISE: (
        "I'm sorry, that sounds worrying. I've passed this to our team as a security matter; "
        "a person will reply here as soon as possible. Please don't share passwords or codes "
        "with anyone in the meantime."
    ),
    Reason.URGENT: (
        "I understand this is urgent. I've flagged your conversation to our team as a "
        "priority, and a person will reply here as soon as possible."
    ),
    Reason.NO_EVIDENCE: (
        "I couldn't find an answer to that in our help articles, and I don't want to guess. "
        "I've passed your question to our support team; a person will reply here."
    ),
    Reason.NOT_IN_KB: (
        "Our help articles don't cover that, and I don't want to guess. I've passed your "
        "question to our support team; a person will reply here."
    ),
}
