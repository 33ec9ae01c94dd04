"""When the assistant must hand a conversation to a person instead of answering.

Asking for a person, legal threats, abuse and distress are read off the customer's message
here; missing evidence is decided by retrieval (see `evidence.py`).
"""

from __future__ import annotations

import re
from enum import StrEnum

from tandem.safety.categories import Category
from tandem.safety.classifier import Classifier


class Reason(StrEnum):
    """Why a conversation went to a person."""

    HUMAN_REQUESTED = "human_requested"
    LEGAL = "legal"
    ABUSE = "abuse"
    DISTRESS = "distress"
    NO_EVIDENCE = "no_evidence"


_HUMAN = re.compile(
    r"\b(?:(?:speak|talk|chat|get|connect|transfer|put)\w*\s+(?:me\s+)?(?:to|with|through)?\s*"
    r"(?:a|an|the|some|your|real|actual|live)?\s*(?:real\s+|actual\s+|live\s+)?"
    r"(?:human|person|people|agent|representative|rep|operator|manager|supervisor|someone|"
    r"somebody|staff|employee|customer service)"
    r"|(?:real|actual|live)\s+(?:human|person|agent|people)"
    r"|(?:need|want|like|have|get)\s+(?:to\s+(?:see|reach)\s+)?(?:a|an|some)\s+(?:real\s+)?"
    r"(?:human|person|agent|representative|operator|manager|supervisor)\b"
    r"|human\s+(?:agent|being|support|help)"
    r"|(?:not|stop)\s+(?:talking|chatting)?\s*(?:to|with)?\s*(?:a|the|this)?\s*(?:bot|robot|machine|ai)"
    r"|(?:are you|is this) a (?:bot|robot|machine)"
    r"|escalate|call me back|callback|phone call from|manager now|supervisor"
    r"|agent please|representative please"
    r"|^\s*(?:human|agent|representative|operator)\s*[.!?]*\s*$)",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\b(?:lawyers?|attorneys?|solicitors?|law ?suits?|sue|suing|legal action|take (?:you|this) "
    r"to court|small claims|court|litigation|class action|cease and desist|"
    r"consumer protection|ombudsman|trading standards|attorney general|report (?:you|this) to "
    r"the (?:ftc|bbb|authorities|regulator)|(?:ftc|bbb) complaint|chargeback)\b",
    re.IGNORECASE,
)
_DISTRESS = re.compile(
    r"\b(?:(?:want|going) to (?:die|end it)|end (?:it all|my life)|kill myself|suicid\w*|"
    r"self[- ]harm|hurt myself|can'?t go on|no reason to live|give up on (?:life|everything)|"
    r"(?:i'?m|i am|feel(?:ing)?) (?:so )?(?:desperate|hopeless|suicidal|in crisis)|"
    r"panic attack|having a breakdown|(?:i'?m|i am) (?:being )?(?:abused|in danger|unsafe))\b",
    re.IGNORECASE,
)
_ABUSE = re.compile(
    r"\b(?:(?:you|y'all|u)(?:'re| are| r)?\s+(?:all |just |guys |people )?"
    r"(?:a |an |so |such an? |bunch of |fucking |bloody |damn )*(?:idiots?|morons?|"
    r"stupid|useless|pathetic|worthless|incompetent|garbage|trash|joke|clowns?|scammers?|thie(?:f|ves)"
    r"|crooks?|liars?)|shut up|screw you|f+u+c+k+\s*(?:you|off|this)|go to hell|"
    r"piece of (?:shit|crap|garbage)|stfu|wtf is wrong with you|i(?:'ll| will) (?:find|hurt|kill)"
    r" you)\b",
    re.IGNORECASE,
)


class HandoffDetector:
    """Reads a customer message for reasons to bring in a person."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def detect(self, text: str) -> Reason | None:
        """The first reason found, most urgent first; None when the assistant may answer."""
        analysis = self.classifier.analyze(
            text, (Category.SELF_HARM, Category.HATE, Category.VIOLENCE)
        )
        if _DISTRESS.search(text) or analysis.severities[Category.SELF_HARM] >= 2:
            return Reason.DISTRESS
        if (
            _ABUSE.search(text)
            or analysis.severities[Category.HATE] >= 4
            or analysis.severities[Category.VIOLENCE] >= 4
            or (analysis.profanity and re.search(r"\byou\b|\byour\b", text, re.IGNORECASE))
        ):
            return Reason.ABUSE
        if _LEGAL.search(text):
            return Reason.LEGAL
        if _HUMAN.search(text):
            return Reason.HUMAN_REQUESTED
        return None


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
    Reason.NO_EVIDENCE: (
        "I couldn't find an answer to that in our help articles, and I don't want to guess. "
        "I've passed your question to our support team; a person will reply here."
    ),
}
