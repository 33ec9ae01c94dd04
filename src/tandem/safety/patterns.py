"""The pattern stage: harm severity per category, prompt attacks, profanity.

Deterministic, offline and fast (well under 1 ms per KB): compiled patterns over the text and
its de-obfuscated variants, with benign look-alikes removed first and informational context
(history, fiction, support, medicine) lowering mid-level matches to 'low'. classifier.py
weighs it against the learned stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from tandem.safety import lexicon
from tandem.safety.categories import Category
from tandem.safety.normalize import variants

_WORDS = re.compile(r"[a-z0-9]+")
_JAILBREAK = "jailbreak"
_INDIRECT = "indirect"


# Which kinds of context may lower which category (indexes into lexicon.DAMPENERS).
_DAMPENED_BY: dict[Category, tuple[int, ...]] = {
    Category.VIOLENCE: (0, 1, 2),
    Category.HATE: (0, 2),
    Category.SELF_HARM: (3,),
    Category.SEXUAL: (0, 4),
}
_NEVER_DAMPENED = 6  # instructions, explicit intent, minors: context does not excuse them
_DAMPENED_CAP = 3


class _Context:
    """Which kinds of informational context a text has, each looked up once, on demand."""

    def __init__(self, form: str, dampeners: list[re.Pattern[str]]) -> None:
        self._form = form
        self._dampeners = dampeners
        self._known: dict[int, bool] = {}

    def has(self, index: int) -> bool:
        if index not in self._known:
            self._known[index] = self._dampeners[index].search(self._form) is not None
        return self._known[index]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    anchors: frozenset[str]

    @classmethod
    def make(cls, source: str, stems: tuple[str, ...], flags: int = 0) -> _Rule:
        # Character classes such as n[i1]gg read as their first letter when looking for stems.
        plain = re.sub(r"\[(\w)[^\]]*\]", r"\1", source)
        joined = re.sub(r"\[[^\]]*\]\??", "", plain)  # self[- ]?harm also reads selfharm
        anchors = frozenset(
            s.rstrip("$") for s in stems if s.rstrip("$") in plain or s.rstrip("$") in joined
        )
        return cls(re.compile(source, flags), anchors)

    def relevant(self, seen: set[str]) -> bool:
        """Whether a stem this pattern needs occurs in the text (no anchors: always)."""
        return not self.anchors or not self.anchors.isdisjoint(seen)


@dataclass(frozen=True)
class Analysis:
    """What the classifier found in one text."""

    severities: dict[Category, int]
    evidence: dict[Category, str] = field(default_factory=dict)
    profanity: bool = False
    jailbreak: str | None = None

    def max_severity(self) -> int:
        """The highest severity over all categories."""
        return max(self.severities.values(), default=0)


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


class PatternClassifier:
    """Compiled once per process; `analyze` is thread-safe and allocation-light."""

    @cached_property
    def _rules(self) -> dict[Category, list[tuple[int, list[_Rule]]]]:
        # One regex per pattern (a joined alternation loses re's prefix scan and runs slower),
        # each tagged with the trigger stems written in it: it runs only if one was seen.
        return {
            category: [
                (severity, [_Rule.make(p, lexicon.TRIGGERS[category]) for p in patterns])
                for severity, patterns in bands
            ]
            for category, bands in lexicon.RULES.items()
        }

    @cached_property
    def _triggers(self) -> dict[str, list[tuple[str, bool, str]]]:
        # Stems indexed by their first two letters: one dict lookup per distinct word.
        index: dict[str, list[tuple[str, bool, str]]] = {}
        groups: dict[str, tuple[str, ...]] = {c.value: s for c, s in lexicon.TRIGGERS.items()}
        groups |= {_JAILBREAK: lexicon.JAILBREAK_STEMS, _INDIRECT: lexicon.INDIRECT_STEMS}
        for group, stems in groups.items():
            for stem in stems:
                exact = stem.endswith("$")
                word = stem.rstrip("$")
                index.setdefault(word[:2], []).append((word, exact, group))
        return index

    def _triggered(self, form: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        index = self._triggers
        for word in set(_WORDS.findall(form)):
            for stem, exact, group in index.get(word[:2], ()):
                if word == stem if exact else word.startswith(stem):
                    found.setdefault(group, set()).add(stem)
        return found

    @cached_property
    def _benign(self) -> dict[Category, re.Pattern[str] | None]:
        return {c: _compile(p) if p else None for c, p in lexicon.BENIGN.items()}

    @cached_property
    def _dampeners(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in lexicon.DAMPENERS]

    @cached_property
    def _profanity(self) -> re.Pattern[str]:
        return re.compile(lexicon.PROFANITY)

    @cached_property
    def _jailbreak(self) -> list[_Rule]:
        return [_Rule.make(p, lexicon.JAILBREAK_STEMS) for p in lexicon.JAILBREAK]

    @cached_property
    def _indirect(self) -> list[_Rule]:
        # Documents are also checked for direct-attack shapes (new instructions, [system]...).
        patterns = (*lexicon.INDIRECT, *lexicon.JAILBREAK)
        return [_Rule.make(p, lexicon.INDIRECT_STEMS, re.DOTALL) for p in patterns]

    def analyze(
        self,
        text: str,
        categories: tuple[Category, ...] = tuple(Category),
        *,
        jailbreak: bool = False,
        forms: list[str] | None = None,
    ) -> Analysis:
        """Severity (0-7) per category with the matched evidence; with `jailbreak`, the
        prompt shield too, sharing the one pass over the text's words."""
        severities = dict.fromkeys(categories, 0)
        evidence: dict[Category, str] = {}
        profanity = False
        attack: str | None = None
        for form in forms if forms is not None else variants(text):
            profanity = profanity or bool(self._profanity.search(form))
            context = _Context(form, self._dampeners)
            triggered = self._triggered(form)
            if jailbreak and attack is None:
                attack = self._match(self._jailbreak, triggered.get(_JAILBREAK), form)
            for category in categories:
                if category.value not in triggered:
                    continue
                severity, matched = self._score(category, form, context, triggered[category.value])
                if severity > severities[category]:
                    severities[category] = severity
                    evidence[category] = matched
        return Analysis(
            severities=severities, evidence=evidence, profanity=profanity, jailbreak=attack
        )

    def _score(
        self, category: Category, form: str, context: _Context, seen: set[str]
    ) -> tuple[int, str]:
        benign = self._benign.get(category)
        text = benign.sub(" ", form) if benign is not None else form
        for severity, rules in self._rules[category]:
            patterns = [r.pattern for r in rules if r.relevant(seen)]
            if severity <= 2:
                found = [m for p in patterns for m in p.findall(text)]
                if not found:
                    continue
                # Several distinct mentions weigh a little more than one.
                severity = 3 if len(set(found)) >= 3 else severity
                matched = found[0]
            else:
                match = next((m for p in patterns if (m := p.search(text))), None)
                if match is None:
                    continue
                matched = match.group(0)
            if severity < _NEVER_DAMPENED and any(
                context.has(i) for i in _DAMPENED_BY.get(category, ())
            ):
                severity = min(severity, _DAMPENED_CAP)
            return severity, matched
        return 0, ""

    def jailbreak(self, text: str, forms: list[str] | None = None) -> str | None:
        """Evidence of a direct attack on the model's instructions in a user prompt."""
        return self._first_match(self._jailbreak, _JAILBREAK, forms or variants(text))

    def indirect_attack(self, document: str, forms: list[str] | None = None) -> str | None:
        """Evidence of instructions aimed at the model hidden in a document or tool result."""
        return self._first_match(self._indirect, _INDIRECT, forms or variants(document))

    def _first_match(self, rules: list[_Rule], group: str, forms: list[str]) -> str | None:
        for form in forms:
            found = self._match(rules, self._triggered(form).get(group), form)
            if found is not None:
                return found
        return None

    @staticmethod
    def _match(rules: list[_Rule], seen: set[str] | None, form: str) -> str | None:
        if not seen:
            return None
        for rule in rules:
            if rule.relevant(seen):
                match = rule.pattern.search(form)
                if match:
                    return match.group(0)
        return None
