"""Completions judged in context: what of a model's answer is the model's own voice.

Code and shell output (`kill -9 1234`, a traceback), text quoted in order to be refuted
("'women are worse leaders' is a myth"), and the model's own refusals are not harm; they
are taken out before the harm categories are judged. Everything else is judged as it is.
"""

from __future__ import annotations

import re

_FENCED = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)", re.DOTALL)
_INLINE = re.compile(r"`[^`\n]{1,400}`")
_SHELL = re.compile(r"(?m)^\s*(?:\$|#|>>>|PS [A-Z]:\\[^>]*>|\[\d+\]\+?)\s.*$")
_REFUSAL = re.compile(
    r"(?im)^\W*(?:i'?m sorry,? but |sorry,? |unfortunately,? )?(?:i|we) (?:can(?:no|')t"
    r"|cannot|won'?t|will not|am not able to|'m not able to|am unable to|must decline to"
    r"|do not|don'?t) (?:help|assist|provide|create|write|generate|share|give|support"
    r"|do that|comply)[^.!?\n]*[.!?]?"
)
_QUOTED = re.compile(r"\"[^\"\n]{3,300}\"|“[^”\n]{3,300}”|'[^'\n]{8,300}'|^>.*$", re.MULTILINE)
_REFUTES = re.compile(
    r"\b(?:false|not true|untrue|a myth|myth that|debunk\w*|no evidence|stereotype\w*|wrong"
    r"|i disagree|isn't true|is baseless|misconception|not supported|refute\w*|racist claim"
    r"|harmful (?:claim|idea|generali[sz]ation|trope))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]*[.!?\n]?")
_REPORTED = ("some people claim", "some claim", "people say", "you said", "many believe")


def completion_view(text: str) -> str:
    """The completion with code, shell output, refusals and refuted quotations removed."""
    if not text:
        return text
    view = _FENCED.sub(" ", text) if "```" in text or "~~~" in text else text
    if "`" in view:
        view = _INLINE.sub(" ", view)
    view = _SHELL.sub(" ", view)
    view = _REFUSAL.sub(" ", view)
    if _REFUTES.search(view):
        view = _drop_refuted(view)
    return view


def _drop_refuted(text: str) -> str:
    """Quotations inside (or just before) a sentence that refutes them, and 'the claim
    that ...' clauses, removed."""
    out: list[str] = []
    previous_refutes = False
    sentences = [s for s in _SENTENCE.findall(text) if s]
    for index, sentence in enumerate(sentences):
        following = sentences[index + 1] if index + 1 < len(sentences) else ""
        refutes = bool(_REFUTES.search(sentence)) or bool(_REFUTES.search(following[:200]))
        if refutes:
            sentence = _QUOTED.sub(" ", sentence)
            sentence = re.sub(
                r"(?i)\b(?:the )?(?:claim|idea|notion|belief|statement|myth|stereotype)"
                r"s? that [^.!?;]*?(?= is\b| are\b| has\b| was\b|[.!?;]|$)",
                " the claim ",
                sentence,
            )
            if sentence.lower().lstrip().startswith(_REPORTED):
                sentence = " "
        elif previous_refutes and sentence.lstrip().startswith(">"):
            sentence = " "
        previous_refutes = refutes
        out.append(sentence)
    return "".join(out)
