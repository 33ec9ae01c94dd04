"""The learned stage's training corpus, composed from hand-written fragments.

Each family is a frame with slots (`{act}`, `{target}` ...) filled from hand-written
fragment lists, then passed through register transforms (lower case, no punctuation,
typos, chat filler, surrounding benign text). Every item keeps the family it came from as
its `group`: the dev split holds out whole families, so dev figures measure phrasing the
model never saw rather than fresh fills of frames it learned.

Labels: severity 0/2/4/6 per harm category (Azure's scale), and 0/1 for jailbreak,
indirect attack and minors.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HARMS = ("hate", "sexual", "violence", "self_harm")
HEADS = (
    *(f"{h}_{s}" for h in HARMS for s in (2, 4, 6)),
    "jailbreak",
    "indirect",
    "minors",
)


@dataclass
class Item:
    """One labelled text."""

    text: str
    group: str
    labels: dict[str, int] = field(default_factory=dict)

    def targets(self) -> list[int]:
        """0/1 per head in HEADS (ordinal: severity 6 is also >= 2 and >= 4)."""
        out = []
        for head in HEADS:
            name, _, level = head.rpartition("_")
            if name in HARMS:
                out.append(int(self.labels.get(name, 0) >= int(level)))
            else:
                out.append(int(self.labels.get(head, 0) > 0))
        return out


Slots = dict[str, Sequence[str]]
_SLOT = re.compile(r"\{(\w+)\}")


def fill(frame: str, slots: Slots, rng: random.Random) -> str:
    """The frame with each slot replaced by a random fragment (each slot once per fill)."""
    chosen: dict[str, str] = {}

    def pick(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in chosen:
            chosen[name] = rng.choice(slots[name])
        return chosen[name]

    text = _SLOT.sub(pick, frame)
    return text[0].upper() + text[1:] if text and text[0].isalpha() else text


def family(
    name: str,
    frames: Sequence[str],
    slots: Slots,
    labels: dict[str, int],
    rng: random.Random,
    per_frame: int = 12,
) -> Iterator[Item]:
    """`per_frame` distinct fills of each frame; each frame is its own group."""
    for index, frame in enumerate(frames):
        seen: set[str] = set()
        tries = 0
        while len(seen) < per_frame and tries < per_frame * 6:
            tries += 1
            text = fill(frame, slots, rng)
            if text not in seen:
                seen.add(text)
                yield Item(text, f"{name}:{index}", dict(labels))


def plain(name: str, texts: Sequence[str], labels: dict[str, int]) -> Iterator[Item]:
    """Hand-written items, four to a group."""
    for index, text in enumerate(texts):
        yield Item(text, f"{name}:h{index // 4}", dict(labels))


_FILLERS_BEFORE = (
    "hey, ", "ok so ", "quick question: ", "honestly ", "listen. ", "so yeah, ", "um ",
    "be honest with me. ", "i need to ask something. ", "",
)  # fmt: skip
_FILLERS_AFTER = (
    " thanks", " lol", " pls", " asap", " ok?", " 🙂", " !!", " idk", " thx in advance", "",
)  # fmt: skip
_CONTEXT = (
    "I had a long day at work and the train was late again.",
    "Our team meeting got moved to Thursday afternoon.",
    "The weather here has been grey for a week.",
    "I just finished reading the quarterly report.",
    "My cat knocked the plant off the windowsill this morning.",
    "We are planning the release for next month.",
    "The kids have a school trip on Friday.",
    "I've been trying to cook more at home lately.",
)


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) < 4:
        return text
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 4:
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def styled(item: Item, rng: random.Random) -> Item:
    """The item in another register (the label does not change)."""
    text = item.text
    roll = rng.random()
    if roll < 0.25:
        text = text.lower()
    elif roll < 0.35:
        text = re.sub(r"[.,!?;:'\"]", "", text.lower())
    if rng.random() < 0.3:
        text = rng.choice(_FILLERS_BEFORE) + text + rng.choice(_FILLERS_AFTER)
    if rng.random() < 0.2:
        text = _typo(text, rng)
    if rng.random() < 0.15:
        before = rng.random() < 0.5
        context = rng.choice(_CONTEXT)
        text = f"{context} {text}" if before else f"{text} {context}"
    return Item(text, item.group, dict(item.labels))


WRITTEN = Path(__file__).resolve().parent / "written"
ROOT = Path(__file__).resolve().parents[2]


def written(folder: Path = WRITTEN) -> Iterator[Item]:
    """Texts written one by one (not from frames), `{text, labels, topic}` per JSONL line.

    Each file's topic is a group, so the dev split holds out whole kinds of text.
    """
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            labels = {k: int(v) for k, v in (row.get("labels") or {}).items() if int(v) > 0}
            topic = str(row.get("topic") or "misc")
            yield Item(str(row["text"]), f"written:{path.stem}:{topic}", labels)


RETIRED = ROOT / "eval" / "safety"
# Named one by one: a set joins only after its first run has been reported.
RETIRED_SETS = (
    "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9",
    "heldout10", "heldout11", "heldout12", "heldout13", "heldout14",
)  # fmt: skip
FLAT_SETS = ("dataset.jsonl", "heldout.jsonl", "heldout2.jsonl")
_CATEGORY = {"hate": "hate", "sexual": "sexual", "violence": "violence", "selfharm": "self_harm"}
_MINORS = re.compile(r"minor|child|teen|underage|groom|kid|school|\b1[0-7]\b|age decep", re.I)


def retired(root: Path = RETIRED, names: Sequence[str] = RETIRED_SETS) -> Iterator[Item]:
    """Held-out sets whose first run has been reported: once measured they are no longer
    held out, and their phrasing (written by other hands, from the public description
    alone) is the most varied labelled text the project has. The next measurement is on a
    set written after them. Each file of each set is one group."""
    for name in names:
        for path in sorted((root / name).glob("*.jsonl")):
            if path.stem == "pii":
                continue
            for row in (json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()):
                labels: dict[str, int] = {}
                category = str(row.get("category", "none")).lower().replace("-", "")
                if row.get("label") == "harmful":
                    if category in ("jailbreak", "indirect"):
                        labels[category] = 1
                    elif category in _CATEGORY:
                        labels[_CATEGORY[category]] = int(row.get("min_severity", 2))
                        note = str(row.get("note", ""))
                        if category == "sexual" and labels["sexual"] >= 6 and _MINORS.search(note):
                            labels["minors"] = 1
                kind = "ordinary" if path.stem == "ordinary" else path.stem
                yield Item(str(row["text"]), f"retired:{name}:{kind}", labels)


def flat(root: Path = RETIRED, names: Sequence[str] = FLAT_SETS) -> Iterator[Item]:
    """The first evaluation sets (one text and a label each), also reported long ago: a
    harmful row is labelled medium (what they were scored at)."""
    for name in names:
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            label = str(row["label"])
            if label == "indirect":  # the attack is in the documents; the prompt is plain
                for document in row.get("documents", []):
                    yield Item(str(document), f"flat:{name}", {"indirect": 1})
                yield Item(str(row["text"]), f"flat:{name}")
                continue
            labels: dict[str, int] = {}
            if label == "jailbreak":
                labels[label] = 1
            elif label != "benign":
                labels[label] = 4
            yield Item(str(row["text"]), f"flat:{name}", labels)


DEV_QUESTIONS = (
    "eval/support/questions.jsonl", "eval/support/dev_energy/questions.jsonl",
    "eval/analyst/questions.jsonl", "eval/analyst/dev_marketplace/questions.jsonl",
)  # fmt: skip


def dev_questions(root: Path = ROOT) -> Iterator[Item]:
    """What users ask the products, from their development sets (never a held-out set):
    short everyday questions, the traffic a filter must leave alone. Questions meant for a
    handoff (a threat, distress) are left out."""
    for name in DEV_QUESTIONS:
        path = root / name
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if (
                row.get("question")
                and row.get("expect", "answer") == "answer"
                and not row.get("handoff")
            ):
                yield Item(str(row["question"]), f"ordinary_devq:{path.parent.name}")


NEWEST_ROUND = "round13"
NEWEST_STYLES = 3


def build(seed: int = 7, retired_sets: Sequence[str] = RETIRED_SETS) -> list[Item]:
    """Every family, each item once as written and once restyled; harvested prose as is."""
    from corpus_benign import benign
    from corpus_hate_sexual import hate, sexual
    from corpus_low import low
    from corpus_ordinary import harvested, ordinary
    from corpus_shields import indirect, jailbreak
    from corpus_violence_selfharm import self_harm, violence

    rng = random.Random(seed)
    items: list[Item] = []
    for make in (violence, self_harm, hate, sexual, jailbreak, indirect, benign, ordinary, low):
        items.extend(make(rng))
    items.extend(written())
    items.extend(retired(names=retired_sets))
    items.extend(flat())
    items.extend(dev_questions())
    extra = [styled(i, rng) for i in items]
    # The newest written round is a few hundred texts against tens of thousands: each of
    # its texts also comes in NEWEST_STYLES more registers, so it is not drowned out.
    newest = [i for i in items if i.group.startswith(f"written:{NEWEST_ROUND}")]
    extra += [styled(i, rng) for _ in range(NEWEST_STYLES) for i in newest]
    items.extend(harvested())
    unique: dict[str, Item] = {}
    for item in items + extra:
        unique.setdefault(item.text, item)
    return list(unique.values())


ORDINARY_TOPICS = frozenset(
    {
        "business_customer_service", "code_sql", "meeting_notes", "recipe_household",
        "workplace_general", "email", "sql", "python_snippet", "support_ticket", "chat",
        "cooking", "support_request", "transactional", "email_nonnative", "tech_question",
        "coding_request", "marketing_copy", "product_docs", "office_notice", "ordinary_it",
        "refund_returns_policy_questions", "logistics_and_delivery", "finance_and_billing",
        "hr_and_recruiting", "admin_and_account_access", "device_modes_and_settings",
        "french_everyday", "spanish_everyday", "german_everyday", "italian_everyday",
        "portuguese_everyday", "dutch_everyday",
    }
)  # fmt: skip


def is_ordinary(item: Item) -> bool:
    """Everyday traffic or harvested prose (not a hard neighbour of harm)."""
    if item.group.startswith("written:"):
        return item.group.rsplit(":", 1)[-1] in ORDINARY_TOPICS
    if item.group.startswith("retired:"):
        return item.group.endswith(":ordinary")
    return item.group.startswith(("ordinary_", "harvested:"))


def split(items: list[Item], dev_share: float = 0.2, seed: int = 11) -> tuple[list, list]:
    """(train, dev) with whole groups held out for dev."""
    groups = sorted({i.group for i in items})
    rng = random.Random(seed)
    dev_groups = {g for g in groups if rng.random() < dev_share}
    train = [i for i in items if i.group not in dev_groups]
    dev = [i for i in items if i.group in dev_groups]
    return train, dev
