"""Text normalisation that defeats cheap obfuscation before matching.

Screening runs over the text as written and over a normalised form: zero-width and
accents removed, leetspeak undone, s p a c e d or s.e.p.a.r.a.t.e.d letters joined, and
base64 blobs decoded.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
# A word written with digits or symbols for letters: letters and leet characters mixed.
_LEETED = re.compile(r"[a-z0-9@$!]*[a-z][a-z0-9@$!]*")
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*]){3,}[a-z]\b")
_B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _join_spaced(match: re.Match[str]) -> str:
    spaced = match.group(0)
    joined = re.sub(r"[ .\-_*]", "", spaced)
    # "a b o m b": the leading "a" (or "i") is more likely a word of its own.
    if spaced[:2] in ("a ", "i ") and len(joined) >= 5:
        return spaced[:2] + joined[1:]
    return joined


def decoded_base64(text: str) -> list[str]:
    """Readable text hidden as base64 in `text`."""
    found = []
    for blob in _B64.findall(text):
        try:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
            decoded = raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.isprintable() and sum(c.isalpha() for c in decoded) > len(decoded) * 0.6:
            found.append(decoded)
    return found


def normalize(text: str) -> str:
    """Lower-cased text with obfuscation undone (for matching only, never shown)."""
    if text.isascii():
        lowered = text.lower()
    else:
        lowered = _strip_accents(text.translate(_ZERO_WIDTH)).lower()
    lowered = _SPACED.sub(_join_spaced, lowered)
    return lowered


def _deleet_word(match: re.Match[str]) -> str:
    word = match.group(0)
    core = word.rstrip("!")  # "hello!" is a word and an exclamation, not "helloi"
    if core.isalpha():
        return word
    return core.translate(_LEET) + word[len(core) :]


def deleet(text: str) -> str:
    """Leetspeak undone in words that mix letters with digits or symbols ('m4ke a b0mb');
    numbers and ordinary words stay as they are ('kill -9 1234')."""
    return _LEETED.sub(_deleet_word, text)


def variants(text: str) -> list[str]:
    """The forms of `text` to screen: as written, normalised, de-leeted, decoded."""
    base = normalize(text)
    forms = [base]
    plain = deleet(base)
    if plain != base:
        forms.append(plain)
    if _B64.search(text):
        forms.extend(normalize(d) for d in decoded_base64(text))
    return forms
