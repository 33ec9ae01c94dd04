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
    r"|agent please|representative please"
    r"|^\s*(?:human|agent|representative|operator|person)\s*(?:please)?\s*[.!?]*\s*$)",
    _I,
)
_LEGAL = re.compile(
    r"\b(?:lawyers?|attorneys?|solicitors?|law ?suits?|sue|suing|legal action|legal proceedings"
    r"|(?:issue|issuing|start|starting) proceedings|take (?:you|this|it) to court|small claims"
    r"|court|tribunal|litigation|class action|cease and desist|legal team)\b",
    _I,
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
    r"can'?t see the point|nothing to live for|don'?t want to (?:be here|live|wake up)|"
    r"can'?t (?:cope|take (?:it|this|any ?more))|at the end of my (?:rope|tether)|"
    r"panic attack|having a breakdown|(?:i'?m|i am) (?:being )?(?:abused|in danger|unsafe))",
    _I,
)
_BEREAVEMENT = re.compile(
    r"\b(?:(?:my|our)\s+(?:\w+\s+){0,3}?(?:died|has died|passed away|passed on|is dying|"
    r"was killed|has passed)|(?:death|loss|funeral) of my|(?:lost|losing) my (?:husband|wife|"
    r"partner|mother|father|mum|mom|dad|son|daughter|child|baby|brother|sister)|bereave\w*|"
    r"widow(?:ed|er)?|terminally ill|just been diagnosed)",
    _I,
)
_INSULT = (
    r"(?:idiots?|morons?|stupid|useless|pathetic|worthless|incompetent|garbage|trash|joke|"
    r"clowns?|scammers?|thie(?:f|ves)|crooks?|liars?|muppets?|imbeciles?|clueless|shambles|"
    r"disgrace|rubbish|cowboys|parasites?|bastards?|losers?|dumb)"
)
_ABUSE = re.compile(
    r"\b(?:(?:you|y'all|u|ya)(?:'re| are| r)?\s+(?:all |just |guys |people |lot )?"
    r"(?:a |an |so |such an? |bunch of |fucking |bloody |damn |absolute |complete |total |"
    r"utter )*"
    + _INSULT
    + r"|(?:what an?|such an?|bunch of|pack of|load of) (?:\w+ ){0,2}"
    + _INSULT
    + r"|shut up|screw you|f+u+c+k+\s*(?:you|off|this)|go to hell|"
    r"piece of (?:shit|crap|garbage)|stfu|wtf is wrong with you|"
    r"i(?:'ll| will) (?:find|hurt|kill|get) you|i know where (?:you|your)|watch your back|"
    r"you(?:'ll| will) (?:regret|be sorry)|(?:pay|paying) (?:you|it|them) a visit|"
    r"(?:something|someone) (?:bad )?(?:will|might|could) happen to (?:you|your))",
    _I,
)
_COMPROMISE = re.compile(
    r"\b(?:hacked|hijacked|compromised|account takeover|identity theft|fraud(?:ulent|ster)?|"
    r"unauthori[sz]ed|scammed out of|"
    r"some(?:one|body)(?: else)? (?:has |had |have )?(?:logged|logging|log|signed|broke|got|"
    r"gained|hacked) (?:in|into|access)|"
    r"some(?:one|body)(?: else)? (?:has |had )?(?:been )?(?:using|used|accessed|changed|deleted|"
    r"added|booked|spent|withdr[ae]w\w*|took|taken|moved|transferred|made|placed|cancel+ed)\b"
    r"(?! me\b)|"
    r"(?:that |which )?(?:i|we) (?:did not|didn'?t|never|do not|don'?t|haven'?t) (?:make|made|"
    r"place|placed|authori[sz]e|authori[sz]ed|book|booked|add|added|buy|bought|order|ordered|"
    r"request|requested|recogni[sz]e|sign up for|approve|approved)|"
    r"(?:charged|billed|debited|taken|paid|deducted)(?: me| us)? (?:twice|two times|double|2x)|"
    r"double[- ](?:charged|billed|payment|charge)|charged (?:me |us )?for (?:the same|it) twice|"
    r"duplicate (?:charge|payment|transaction)|not me\b|wasn'?t me\b|"
    r"without my (?:permission|consent|knowledge|authori[sz]ation)|"
    r"(?:changed|reset) (?:my|our) (?:password|email|e-mail|bank details|phone number|pin)"
    r" without)",
    _I,
)
_URGENT_WORD = re.compile(
    r"\b(?:urgent\w*|asap|emergency!|immediately|right away|critical|desperately need|"
    r"(?:this is|it'?s|i have|we have|having|family|medical) an? (?:\w+ )?emergency|"
    r"stranded|stuck at the (?:airport|station|border)|time[- ]sensitive)",
    _I,
)
_SOON = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening)|right now|"
    r"in (?:\d+|an?|a few|two|three|four|couple of|a couple of) (?:hours?|hrs?|minutes?|mins?)|"
    r"within (?:the |an )?(?:hour|\d+ (?:hours?|hrs?|minutes?)))\b",
    _I,
)
_STAKES = re.compile(
    r"\b(?:payroll|rent|mortgage|salary|salaries|wages|flight|boarding|launch|deadline|due|"
    r"surgery|hospital|funeral|eviction|evicted|cut off|disconnected|run(?:ning)? out|"
    r"newborn|oxygen|medical|leaves?|departs?|closing)\b",
    _I,
)
_PROBLEM = re.compile(
    r"\b(?:help|can'?t|cannot|won'?t|unable|stuck|swallowed|stolen|lost|blocked|declined|"
    r"failed|frozen|suspended|locked|down|outage|not working|broken|no (?:power|heat|heating|"
    r"money|access)|need)\b",
    _I,
)
_DIRECTED = re.compile(r"\b(?:you|your|u|ur|y'all)\b", _I)


def cues(text: str) -> set[Reason]:
    """The reasons whose cue patterns the message matches."""
    found = set()
    if _SELF_HARM.search(text) or _BEREAVEMENT.search(text):
        found.add(Reason.DISTRESS)
    if _ABUSE.search(text):
        found.add(Reason.ABUSE)
    if _LEGAL.search(text) or (
        _REGULATOR.search(text) and _INTENT.search(text) and not _ASKING.search(text)
    ):
        found.add(Reason.LEGAL)
    if _COMPROMISE.search(text):
        found.add(Reason.ACCOUNT_COMPROMISE)
    if _URGENT_WORD.search(text) or (
        _SOON.search(text) and _STAKES.search(text) and _PROBLEM.search(text)
    ):
        found.add(Reason.URGENT)
    if _HUMAN.search(text):
        found.add(Reason.HUMAN_REQUESTED)
    return found


class HandoffDetector:
    """Reads a customer message for reasons to bring in a person."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def detect(self, text: str, meaning: Mapping[Reason, float] | None = None) -> Reason | None:
        """The most pressing reason found; None when the assistant may answer.

        `meaning` holds, per reason, how far the message's meaning sits closer to that
        reason's examples than to ordinary questions (see `intents.py`): from DECISIVE it
        is enough alone, from SUGGESTIVE only with a cue or the classifier agreeing.
        """
        meaning = meaning or {}
        found = cues(text)
        found |= {r for r, margin in meaning.items() if margin >= DECISIVE}
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
