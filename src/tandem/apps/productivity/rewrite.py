"""Rewriting: rule-based tone (formal, friendly, concise) and length as the floor, the model's
wording where it keeps every figure of the original and invents none."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from tandem.apps.productivity.documents import Document, Section
from tandem.apps.productivity.summarize import pick, scored
from tandem.apps.productivity.text import figure_key, figures, foreign_figures, sentences

Tone = Literal["formal", "friendly", "concise"]
Length = Literal["shorter", "same", "longer"]

_CONTRACTIONS = {
    "can't": "cannot",
    "won't": "will not",
    "n't": " not",
    "'re": " are",
    "'ll": " will",
    "'ve": " have",
    "'d": " would",
    "'m": " am",
    "let's": "let us",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "what's": "what is",
    "here's": "here is",
    "he's": "he is",
    "she's": "she is",
    "who's": "who is",
}
_INFORMAL = [
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "have to"),
    (r"\bkinda\b", "somewhat"),
    (r"\bsorta\b", "somewhat"),
    (r"\byeah\b|\byep\b", "yes"),
    (r"\bnope\b", "no"),
    (r"\bhey\b|\bhiya\b|\bhi\b", "Hello"),
    (r"\bthanks\b|\bthx\b", "thank you"),
    (r"\basap\b", "as soon as possible"),
    (r"\bfyi\b", "for your information"),
    (r"\bguys\b|\bfolks\b", "everyone"),
    (r"\bstuff\b", "material"),
    (r"\bok\b|\bokay\b", "acceptable"),
    (r"\bawesome\b|\bcool\b", "excellent"),
    (r"\ba lot of\b|\blots of\b", "many"),
    (r"\bget back to\b", "respond to"),
    (r"\bcheck out\b", "review"),
    (r"\bfigure out\b", "determine"),
    (r"\bbtw\b", "incidentally"),
    (r"\bpls\b|\bplz\b", "please"),
    (r"\bu\b", "you"),
]
_FRIENDLY = [
    (r"\bDear (?:Sir|Madam|Sir or Madam|colleagues?)\b", "Hi"),
    (
        r"\bKind regards\b|\bRegards\b|"
        r"\bYours (?:sincerely|faithfully)\b",
        "Thanks",
    ),
    (r"\bdo not\b", "don't"),
    (r"\bcannot\b", "can't"),
    (r"\bwill not\b", "won't"),
    (r"\bit is\b", "it's"),
    (r"\bwe are\b", "we're"),
    (r"\byou are\b", "you're"),
    (r"\bI am\b", "I'm"),
    (r"\bthat is\b", "that's"),
    (r"\bplease be advised that\b", "just so you know,"),
    (r"\bkindly\b", "please"),
    (r"\bregarding\b", "about"),
    (r"\bassist\b", "help"),
    (r"\bpurchase\b", "buy"),
    (r"\brequire\b", "need"),
]
_WORDY = [
    (r"\bin order to\b", "to"),
    (r"\bdue to the fact that\b", "because"),
    (r"\bat this point in time\b|\bat the present time\b", "now"),
    (r"\bin the event that\b", "if"),
    (r"\bwith regard to\b|\bwith respect to\b|\bin relation to\b", "about"),
    (r"\bit is important to note that\s*|\bplease be advised that\s*|\bplease note that\s*", ""),
    (r"\bI (?:just )?wanted to (?:let you know|say) that\s*", ""),
    (r"\ba number of\b", "several"),
    (r"\bin spite of the fact that\b", "although"),
    (r"\bhas the ability to\b", "can"),
    (r"\bmake a decision\b", "decide"),
    (r"\bprior to\b", "before"),
    (r"\bsubsequent to\b", "after"),
    (r"\bon a (daily|weekly|monthly|yearly) basis\b", r"\1"),
]
_FILLERS = r"\b(?:just|really|very|basically|actually|literally|totally|quite|simply|definitely)\s+"
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


def _case_like(match: re.Match[str], replacement: str) -> str:
    word = match.group(0)
    if word[:1].isupper() and not (word.isupper() and len(word) > 1) and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


def _replacer(replacement: str, expand: bool = True) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return _case_like(match, match.expand(replacement) if expand else replacement)

    return replace


def _apply(text: str, rules: list[tuple[str, str]]) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, _replacer(replacement), text, flags=re.IGNORECASE)
    return text


def formal(text: str) -> str:
    """Contractions spelled out, slang replaced, exclamations and emoji calmed."""
    for short, full in sorted(_CONTRACTIONS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(
            re.escape(short).replace("'", "['\u2019]"),
            _replacer(full, expand=False),
            text,
            flags=re.IGNORECASE,
        )
    text = _apply(text, _INFORMAL)
    text = re.sub(r"\b(?:I )?(?:just )?wanted to let you know that\s*", "", text, flags=re.I)
    text = re.sub(_FILLERS, "", text, flags=re.IGNORECASE)
    text = _EMOJI.sub("", text)
    text = re.sub(r"!+", ".", text)
    text = re.sub(r"\?{2,}", "?", text)
    text = re.sub(r"\s+([.,;:?])", r"\1", text)
    text = _capitalised(text)
    return text if not text or text[-1] in ".?:;" else text + "."


def friendly(text: str) -> str:
    """Stiff phrases loosened, contractions used."""
    return _capitalised(_apply(text, _FRIENDLY))


def concise(text: str) -> str:
    """Wordy phrases and fillers dropped."""
    text = _apply(text, _WORDY)
    text = re.sub(_FILLERS, "", text, flags=re.IGNORECASE)
    return _capitalised(re.sub(r"[ \t]{2,}", " ", text))


def _capitalised(text: str) -> str:
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text.strip())
    return re.sub(r"[ \t]{2,}", " ", text)


def shorter(text: str) -> str:
    """The text's most informative sentences (about 60%), figures first, in order."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    document = Document("text", "", [Section("text", paragraphs=paragraphs)])
    units = scored(document)
    if len(units) <= 1:
        return text
    keep = max(1, round(len(units) * 0.6))
    return " ".join(u.text for u in pick(units, keep))


def floor(text: str, tone: Tone, length: Length) -> str:
    """The rule-based rewrite."""
    out = {"formal": formal, "friendly": friendly, "concise": concise}[tone](text)
    if length == "shorter":
        out = shorter(out)
    return out


SYSTEM = (
    "You rewrite text in the requested tone and length. Keep every fact, name and number "
    "exactly. Answer with JSON."
)


def model_request(text: str, tone: Tone, length: Length, draft: str) -> tuple[str, dict[str, Any]]:
    """The prompt and schema; the model polishes the rule-based draft."""
    goal = {"shorter": "shorter than", "same": "about as long as", "longer": "longer than"}[length]
    user = (
        f"Tone: {tone}. Make it {goal} the original.\nOriginal:\n{text}\n\n"
        f"Draft to improve:\n{draft}"
    )
    schema = {
        "type": "object",
        "properties": {"text": {"type": "string"}},
        "required": ["text"],
    }
    return user, schema


def accept(answer: dict[str, Any] | None, original: str, length: Length) -> str | None:
    """The model's text if it keeps every figure, invents none, and has the asked length."""
    if answer is None:
        return None
    written = str(answer.get("text", "")).strip()
    if not written or foreign_figures(written, original):
        return None
    needed = {figure_key(f) for f in figures(original)}
    if length != "shorter" and not needed <= {figure_key(f) for f in figures(written)}:
        return None
    ratio = len(written) / max(1, len(original))
    if (length == "shorter" and ratio >= 1.0) or (length == "longer" and ratio <= 1.0):
        return None
    return written if sentences(written) else None
