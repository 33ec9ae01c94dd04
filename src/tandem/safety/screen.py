"""Screening prompts and completions against a policy: the decision and its annotations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tandem.safety.annotations import blocklist_results, category_results, detection
from tandem.safety.blocklists import BlocklistMatch, BlocklistStore
from tandem.safety.categories import Category, label_threshold
from tandem.safety.classifier import Classifier
from tandem.safety.context import completion_view
from tandem.safety.pii import PII_TYPES, PIIDetector, PIISpan
from tandem.safety.policy import DirectionPolicy, ShieldAction

JSONObject = dict[str, Any]
_SENTENCE = re.compile(r"[^.!?\n]*[.!?\n]?")


@dataclass
class Finding:
    """What screening one text found, and what the policy makes of it."""

    severities: dict[Category, int]
    filtered: set[Category] = field(default_factory=set)
    redact_categories: set[Category] = field(default_factory=set)
    evidence: dict[Category, str] = field(default_factory=dict)
    jailbreak: bool | None = None
    jailbreak_filtered: bool = False
    indirect: bool | None = None
    indirect_filtered: bool = False
    profanity: bool | None = None
    profanity_filtered: bool = False
    pii: list[PIISpan] = field(default_factory=list)
    pii_filtered: bool = False
    blocklist_matches: list[BlocklistMatch] = field(default_factory=list)
    redacted: str | None = None
    guard: JSONObject | None = None

    @property
    def blocked(self) -> bool:
        """Whether the policy blocks this text."""
        return bool(
            self.filtered - self.redact_categories
            or self.jailbreak_filtered
            or self.indirect_filtered
            or self.profanity_filtered
            or self.pii_filtered
            or self.blocklist_matches
            or (self.guard is not None and self.guard["filtered"])
        )

    @property
    def flagged(self) -> bool:
        """Anything at all worth a reviewer's look."""
        return self.blocked or bool(self.filtered) or bool(self.jailbreak) or bool(self.indirect)

    def results(self) -> JSONObject:
        """Azure's content_filter_results object."""
        out = category_results(self.severities, self.filtered)
        if self.jailbreak is not None:
            out["jailbreak"] = detection(self.jailbreak, self.jailbreak_filtered)
        if self.indirect is not None:
            out["indirect_attack"] = detection(self.indirect, self.indirect_filtered)
        if self.profanity is not None:
            out["profanity"] = detection(self.profanity, self.profanity_filtered)
        if self.blocklist_matches:
            matches = [(m.blocklist, m.item_id) for m in self.blocklist_matches]
            out["custom_blocklists"] = blocklist_results(matches, True)
        if self.guard is not None:
            out["guard"] = self.guard
        if self.pii:
            out["pii"] = {
                "filtered": self.pii_filtered,
                "redacted": self.redacted is not None,
                "detected": sorted({s.type for s in self.pii}),
            }
        return out

    def summary(self) -> JSONObject:
        """A compact record for the review queue and the audit log."""
        return {
            "severities": {c.value: s for c, s in self.severities.items() if s},
            "filtered": sorted(c.value for c in self.filtered),
            "jailbreak": bool(self.jailbreak),
            "indirect_attack": bool(self.indirect),
            "blocklists": [m.blocklist for m in self.blocklist_matches],
            "pii": sorted({s.type for s in self.pii}),
        }


class Screener:
    """Applies the built-in classifier, shields, PII and blocklists to texts."""

    def __init__(self, blocklists: BlocklistStore) -> None:
        self.classifier = Classifier()
        self.pii = PIIDetector()
        self.blocklists = blocklists

    def screen(
        self,
        text: str,
        policy: DirectionPolicy,
        *,
        tenant: str,
        jailbreak: ShieldAction = "off",
        documents: list[str] | None = None,
        indirect: ShieldAction = "off",
        completion: bool = False,
    ) -> Finding:
        """Screen one text (and its documents) under one direction's policy; a completion's
        harm is judged without its code, refusals and refuted quotations."""
        judged = completion_view(text) if completion else text
        analysis = self.classifier.analyze(judged, jailbreak=jailbreak != "off")
        finding = Finding(severities=analysis.severities, evidence=analysis.evidence)
        for category in Category:
            rule = policy.rule(category)
            if analysis.severities[category] >= label_threshold(rule.threshold):
                if rule.action in ("block", "redact"):
                    finding.filtered.add(category)
                if rule.action == "redact":
                    finding.redact_categories.add(category)
        if jailbreak != "off":
            finding.jailbreak = analysis.jailbreak is not None
            finding.jailbreak_filtered = finding.jailbreak and jailbreak == "block"
        if indirect != "off" and documents:
            finding.indirect = any(self.classifier.indirect_attack(d) for d in documents)
            finding.indirect_filtered = finding.indirect and indirect == "block"
        if policy.profanity != "off":
            finding.profanity = analysis.profanity
            finding.profanity_filtered = analysis.profanity and policy.profanity == "block"
        if policy.pii.action != "off":
            types = tuple(policy.pii.types) if policy.pii.types else PII_TYPES
            finding.pii = self.pii.detect(text, types)
            finding.pii_filtered = bool(finding.pii) and policy.pii.action == "block"
        if policy.blocklists:
            finding.blocklist_matches = self.blocklists.match(tenant, policy.blocklists, text)
        finding.redacted = self._redacted(text, finding, policy)
        return finding

    def _redacted(self, text: str, finding: Finding, policy: DirectionPolicy) -> str | None:
        changed = text
        if finding.pii and policy.pii.action == "redact":
            changed = self.pii.redact(changed, finding.pii)
        for category in finding.redact_categories:
            changed = _redact_sentence(changed, finding.evidence.get(category, ""), category)
        return changed if changed != text else None


def _redact_sentence(text: str, evidence: str, category: Category) -> str:
    """Replace the sentence holding the evidence (or the whole text) with a marker."""
    marker = f"[redacted: {category.value}]"
    position = text.lower().find(evidence.lower()) if evidence else -1
    if position < 0:
        return marker
    for sentence in _SENTENCE.finditer(text):
        if sentence.start() <= position < max(sentence.end(), sentence.start() + 1):
            body = sentence.group(0)
            start = sentence.start() + len(body) - len(body.lstrip())  # keep the space before it
            return text[:start] + marker + text[sentence.end() :]
    return marker
