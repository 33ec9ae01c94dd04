"""Harm categories and Azure's 0-7 severity scale."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """The four harm categories, named as on Azure OpenAI's model routes."""

    HATE = "hate"
    SEXUAL = "sexual"
    VIOLENCE = "violence"
    SELF_HARM = "self_harm"

    @property
    def azure_name(self) -> str:
        """The name Azure AI Content Safety uses (Hate, Sexual, Violence, SelfHarm)."""
        return {
            "hate": "Hate",
            "sexual": "Sexual",
            "violence": "Violence",
            "self_harm": "SelfHarm",
        }[self.value]

    @classmethod
    def from_azure(cls, name: str) -> Category:
        """The category behind an Azure Content Safety name."""
        for category in cls:
            if category.azure_name.lower() == name.lower():
                return category
        raise ValueError(name)


SEVERITY_LABELS = ("safe", "low", "medium", "high")


def severity_label(severity: int) -> str:
    """0-1 safe, 2-3 low, 4-5 medium, 6-7 high."""
    return SEVERITY_LABELS[min(3, max(0, severity) // 2)]


def label_threshold(label: str) -> int:
    """The lowest severity that carries a label (low → 2, medium → 4, high → 6)."""
    return {"safe": 0, "low": 2, "medium": 4, "high": 6}[label]


def four_levels(severity: int) -> int:
    """Azure's FourSeverityLevels output: 0, 2, 4 or 6."""
    return min(6, (max(0, severity) // 2) * 2)
