"""Whether the knowledge base says anything about the question's subject.

Retrieval always returns the nearest passages, and a help centre usually has a nearby topic
("gift cards" for a question about gift wrapping, the Denver store's address for a question
about hiring there). A question is out of scope when one of its subject words appears
nowhere in the knowledge base (its spelling, short forms and word forms considered) and the
retrieved passages do not cover it in meaning either: taking the word out of the question
does not make the question any less like the passages (the word was not what drew them).
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from tandem.knowledge.store import STOPWORDS
from tandem.knowledge.vocabulary import SHORTHAND, Vocabulary

# Words of how people ask, not what they ask about.
_ASKING = frozenset(
    re.findall(
        r"\w+",
        """
        hi hello hey thanks thank please ok okay yes yeah hey guys folks there question
        know tell let like wondering wonder curious quick help really actually just still
        much many long soon often way ways thing things stuff kind sort lot lots bit
        possible anyone someone somebody anything something everything one ones able
        whats what's thats that's im i'm ive i've id dont don't cant can't wont won't
        there's theres here's heres it's you're youre we're they're
        isnt isn't doesnt doesn't didnt didn't havent haven't hasnt hasn't arent aren't
        offer offers provide provides available sell sells support supports work works
        happen happens go going make made take takes give gives use used using get getting
        find look looking see tell ask asked new old good best right wrong sure also else
        cost costs price fee fees charge charges pay paid much long time day days week weeks
        month months year years today tomorrow yesterday now ago
        very great really quite pretty rather though although while since ever never always
        already again anymore nearly almost half halfway next last first second third
        moment couple bunch whole through thru instead anyway maybe perhaps probably
        """,
    )
)
_PRONOUNS = frozenset(
    {"he", "she", "it", "that", "there", "here", "what", "who", "where", "when", "how"}
    | {"let", "they", "we", "you", "i"}
)
MIN_WORD = 4
# A word is covered by a synonym when the knowledge base uses a word this close to it in
# meaning (all-MiniLM-L6-v2 cosine of the two words: "pick"/"choose" 0.78, "house"/"homes"
# 0.83; "boiler"/"heat" 0.51, "referral"/"contact" 0.49).
SYNONYM = 0.56
# How much the question's meaning changes (1 - cosine) when its uncovered words are taken
# out: small for asides ("loads of credit"), large for the subject ("gift wrapping").
SUBJECT = 0.25
NAMED_SUBJECT = 0.12
# Asked whether something exists or is offered ("do you do home broadband?", "is there a
# student deal?", "can I add my watch?"): the thing asked for is the subject, so a smaller
# change of meaning is enough.
OFFERED_SUBJECT = 0.15
_OFFERED = re.compile(
    r"\b(?:do|does|can|could|will|would) (?:you|u|ya|they|we|i|you guys)\s+"
    r"(?:also\s+|still\s+|even\s+)?(?:do|offer|have|sell|support|provide|accept|stock|ship|"
    r"deliver|get|add|buy|use|pay (?:with|by)|order|rent|book|hire|trade)\b"
    r"|\b(?:is|are) there (?:a|an|any)\b|\bany (?:chance|way) (?:of|to)\b",
    re.IGNORECASE,
)


def offered(question: str, word: str) -> bool:
    """Whether the word sits within a few words after an "is it offered" cue."""
    for cue in _OFFERED.finditer(question):
        after = re.findall("[\\w'\u2019-]+", question[cue.end() :].lower())[:6]
        if word in after:
            return True
    return False


VOCABULARY_WORDS = 3000


def subject_words(question: str) -> list[str]:
    """The question's content words that may say what it is about."""
    found = []
    for word in re.findall(r"[a-z][a-z'\u2019-]*[a-z]", question.lower()):
        word = word.replace("\u2019", "'")
        if "'" in word:
            # A possessive names its owner ("my niece's"); any other contraction ("he's",
            # "we're", "what'll") is grammar, never the subject.
            stem, _, rest = word.partition("'")
            if rest != "s" or stem in STOPWORDS or stem in _ASKING or stem in _PRONOUNS:
                continue
            word = stem
        if (
            len(word) >= MIN_WORD
            and word not in STOPWORDS
            and word not in _ASKING
            and word not in SHORTHAND
        ):
            found.append(word)
    return found


def _forms(word: str) -> set[str]:
    forms = {word, word.replace("-", ""), word.replace("\u2019", "'")}
    for suffix in ("'s", "s", "es", "ed", "ing", "ers", "er", "ly", "ies"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            forms |= {stem, stem + "e", stem + "y"}
    return forms


def known(word: str, vocabulary: Vocabulary) -> bool:
    """Whether the knowledge base uses the word (in some form, misspelt, or as a short form)."""
    if any(f in vocabulary.words for f in _forms(word)) or word in vocabulary.short:
        return True
    return len(word) >= 6 and vocabulary.correct(word) is not None


def unknown_subjects(question: str, vocabulary: Vocabulary) -> list[str]:
    """Subject words of the question that the knowledge base never uses."""
    if not vocabulary.words:
        return []
    return [w for w in dict.fromkeys(subject_words(question)) if not known(w, vocabulary)]


def vocabulary_words(vocabulary: Vocabulary) -> list[str]:
    """The knowledge base's most used topic words, to look synonyms up among."""
    return [
        w
        for w, _ in vocabulary.words.most_common()
        if len(w) >= 3 and w.isalpha() and w not in STOPWORDS
    ][:VOCABULARY_WORDS]


def without(question: str, words: list[str]) -> str:
    """The question with the words taken out."""
    for word in words:
        question = re.sub(rf"\b{re.escape(word)}\b", " ", question, flags=re.IGNORECASE)
    return " ".join(question.split())


def named(question: str, word: str) -> bool:
    """Whether the question writes the word as a name (a capital not at its start)."""
    for match in re.finditer(rf"\b{re.escape(word)}\b", question, flags=re.IGNORECASE):
        text = match.group(0)
        if match.start() > 0 and text != text.lower():
            return True
    return False


def branded(question: str, word: str) -> bool:
    """Whether the question writes the word as a product or brand name: a capital inside it
    ("PayPal", "iPhone") or all capitals ("HIPAA"). A word of close meaning in the knowledge
    base does not cover a name ("PayPal" is not "payment")."""
    for match in re.finditer(rf"\b{re.escape(word)}\b", question, flags=re.IGNORECASE):
        text = match.group(0)
        if len(text) >= 3 and (text.isupper() or any(c.isupper() for c in text[1:])):
            return True
    return False


def _unit(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    result: npt.NDArray[np.float32] = vectors / (
        np.linalg.norm(vectors, axis=-1, keepdims=True) + 1e-9
    )
    return result


def without_synonym(
    words: npt.NDArray[np.float32], vocabulary: npt.NDArray[np.float32]
) -> list[bool]:
    """Per word (rows of `words`): whether no knowledge-base word is close in meaning."""
    if vocabulary.size == 0:
        return [True] * len(words)
    best = np.max(_unit(words) @ _unit(vocabulary).T, axis=1)
    return [bool(b < SYNONYM) for b in best]


def changes_subject(full: npt.NDArray[np.float32], dropped: npt.NDArray[np.float32]) -> float:
    """1 - cosine of the question with and without its uncovered words."""
    return 1.0 - float(_unit(full) @ _unit(dropped))
