"""Schema linking: the words of a question matched to the semantic model's names, synonyms
and values, exactly, by stem, or within a spelling distance; what matches nothing is kept
so the planner can ask instead of guessing."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from tandem.apps.analyst.english import english_words, inflects
from tandem.apps.analyst.naming import UNITS, singular, words
from tandem.apps.analyst.semantic import (
    Dimension,
    Entity,
    Measure,
    Segment,
    SemanticModel,
)

Kind = Literal["measure", "dimension", "value", "entity", "segment"]
Item = Measure | Dimension | Entity | Segment | tuple[Dimension, str]
MAX_NGRAM = 5
FUZZY_CUTOFF = 0.84
# Words that shape a question rather than name data; they never need linking.
_STOP_WORDS = """
    pull pulled fetch grab thanks thank thx pls plz hello kindly something anything everything
    quickly okay ok cheers lookup new whats wats hows altogether system recorded
    guys folks people anyone anybody someone euro euros dollar dollars pounds quid bucks
    literally we've we're i'm im ive they've who've you've currently ever
    going pass passed passes elapse elapsed elapses calendar company business money own
    organisation organization firm
    recent recently lately jan feb mar apr jun jul aug sep sept oct nov dec
    a about above across actually after again ago all along also among amount an and annually
    any approximately are around as at average avg be been before being below best between
    biggest both bottom bought break breakdown bring broken brought buy buys by by-month
    calculate came can change changed combined come comes coming compare compared compute could
    count counts current currently daily data dataset date dates day days decrease did didn
    differ difference different display distinct distribution do does done down during each earn
    earned eight either entire entries even ever every exactly far fewest figure figures find
    first five for four fourth fraction from full generate generated get give go goes got
    greatest grew group grouped growth h1 h2 had half happen happened has have having hey hi
    highest how i if in include included including increase individual is it its just kind know
    largest last least least-most less let level like list lot lots lowest made make many max
    maximum me mean median min minimum mom month month's monthly months more most mtd much my
    name names need never next nine no none not now number of of-the on one only or order
    ordered our over overall past per per-month per-year percent percentage period periods place
    placed please previous prior proportion purchased q1 q2 q3 q4 qoq quarter quarterly quarters
    question quick rank ranked ranking ratio really records report return right roughly rows
    second see sell selling sells separate seven share should show since single six smallest so
    sold some sort sorted split still such sum table tables take tell ten than that that's the
    their them there these they third this those three time to today together took top top-n
    total trend two type types typical under unique until up us value values versus very vs want
    was we week weekly weeks went were what what's when where which while who who's whole whom
    whose will with within without worst would year year's yearly years yet you your yoy ytd
"""
STOP = frozenset(_STOP_WORDS.split())


_LEGAL_FORMS = frozenset(
    [
        "ltd",
        "limited",
        "co",
        "inc",
        "plc",
        "llc",
        "llp",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "bv",
        "nv",
        "corp",
        "corporation",
        "company",
        "group",
    ]
)


@dataclass
class Link:
    """One span of the question and what it may name (best first)."""

    start: int
    end: int
    text: str
    items: list[tuple[Kind, Item]]
    fuzzy: bool = False


@dataclass
class Linked:
    """A linked question: its tokens, the links, and the content words nothing named."""

    tokens: list[str]
    links: list[Link] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)


def stem(word: str) -> str:
    """A crude English stem, enough to meet "hired" with "hire_date" and "clients" with "client"."""
    word = singular(word.lower())
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            if len(root) > 2 and root[-1] == root[-2] and root[-1] not in "ls":
                root = root[:-1]
            return root
    if word.endswith("e") and len(word) > 3:
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with accents folded ("Mid-Market" -> "mid", "market";
    "Gran Vía" -> "gran", "via"; "margin %" -> "margin", "percent")."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("%", " percent "))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", plain)


_HEADS = {stem(w) for w in ("name", "date", "on", "at")}


# Question words a misspelling may stand for beside STOP (months, grains, comparisons).
_EXTRA = """
    january february march april june july august september october november december
    quarterly annual annually weekly daily monthly distinct unique percentage compare
    versus growth between excluding except without average
"""
EXTRA_WORDS = frozenset(_EXTRA.split())


def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _distinct_parts(values: list[str]) -> dict[str, str]:
    """Each many-word value without the words most of its column's values share ("Lanterna
    Alfama", "Lanterna Ribeira" ... -> "alfama", "ribeira"), where what is left is unique."""
    split = {v: tokens(v) for v in values}
    if len(values) < 3:
        return {}
    counts: dict[str, int] = {}
    for parts in split.values():
        for t in set(parts):
            counts[t] = counts.get(t, 0) + 1
    shared = {t for t, n in counts.items() if n > len(values) / 2}
    if not shared:
        return {}
    left = {v: " ".join(t for t in parts if t not in shared) for v, parts in split.items()}
    seen: dict[str, int] = {}
    for rest in left.values():
        seen[rest] = seen.get(rest, 0) + 1
    return {
        v: rest
        for v, rest in left.items()
        if rest and seen[rest] == 1 and rest != " ".join(split[v]) and len(rest) >= 3
    }


def _plain_column(m: Measure) -> bool:
    """A measure that is only a column's total, with no definition of its own."""
    return bool(re.fullmatch(r'"[^"]+"', m.expr.strip())) and not m.filter and not m.description


class Lexicon:
    """Every phrase of a semantic model, stemmed, with what it names."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self.phrases: dict[tuple[str, ...], list[tuple[Kind, Item]]] = {}
        self.exact: dict[tuple[str, ...], list[tuple[Kind, Item]]] = {}
        self._names: list[str] = []
        # A measure the dictionary defines comes before a column's plain total under the
        # same words ("booking fees" is the defined fees, not the sum of the fee column).
        for m in sorted(model.measures, key=_plain_column):
            names = [m.name, *m.synonyms]
            bare = re.fullmatch(r'"?([^"()*+/-]+)"?', m.expr.strip())
            if bare:
                dim = model.dimension(m.table, bare.group(1))
                names += [*(dim.synonyms if dim else [])]
            self._add(names, ("measure", m))
        for s in model.segments:
            self._add([s.name, *s.synonyms], ("segment", s))
        for e in model.entities:
            self._add([words(e.table), *e.synonyms], ("entity", e))
        for d in model.dimensions:
            self._add([d.name, *d.synonyms], ("dimension", d))
            short = _distinct_parts(d.values)
            for value in d.values:
                said = [value, *d.value_synonyms.get(value, [])]
                if value in short:
                    said.append(short[value])  # "Lanterna Gran Vía" is "gran via"
                parts = tokens(value)
                # A brand's first word stands for it: "NorthCare Health" is "northcare"
                # (a capital inside the word says it is a name, not "Account" or "People").
                if len(parts) > 1 and re.match(r"\s*[A-Z][a-z]+[A-Z]", value):
                    said.append(parts[0])
                # "Liffey Brewing Co." is "Liffey Brewing".
                while len(parts) > 1 and parts[-1] in _LEGAL_FORMS:
                    parts = parts[:-1]
                    said.append(" ".join(parts))
                self._add(said, ("value", (d, value)))
        # Units and qualifiers in headers' brackets ("Price (AUD ex GST)", "Odometer (km)"):
        # a question that repeats them ("$1,000 ex GST", "200,000 km") names nothing more.
        self.units = {
            t
            for d in model.dimensions
            for inside in re.findall(r"\(([^)]*)\)", d.column)
            for t in tokens(inside)
        } | UNITS  # "more than 8,000 EUR", "over a tonne in kg"
        self.singles = sorted({p[0] for p in self.phrases if len(p) == 1 and len(p[0]) >= 4})
        self.vocab = {t for name in self._names for t in tokens(name)}
        self.stems = {stem(t) for t in self.vocab}

    def _add(self, names: list[str], item: tuple[Kind, Item]) -> None:
        # "revenue incl. GST" is also said "revenue including GST".
        names = names + [
            spelled
            for n in names
            if (
                spelled := re.sub(
                    r"\bincl\b\.?", "including", re.sub(r"\bexcl\b\.?", "excluding", n)
                )
            )
            != n
        ]
        self._names.extend(names)
        for name in names:
            key = tuple(stem(t) for t in tokens(name))
            self.exact.setdefault(tuple(singular(t) for t in tokens(name)), []).append(item)
            if key and item not in self.phrases.setdefault(key, []):
                self.phrases[key].append(item)
            # "account name" also answers to "account", "signup date" to "signup" (and so
            # to "signed up"): the head of a name or date column.
            if len(key) == 2 and key[1] in _HEADS and item[0] == "dimension":
                short = self.phrases.setdefault(key[:1], [])
                if item not in short:
                    short.append(item)

    def correct(self, text: str) -> str:
        """The text with misspelt words put right: a word the model and the question words
        do not know, one edit (two in a long word) from one they do, with the same first
        letter ("totl" -> "total", "salse" -> "sales", "spent" -> "spend")."""
        known = self.vocab | STOP | EXTRA_WORDS

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if len(word) < 4 or word in known or stem(word) in self.stems:
                return word
            limit = 1 if len(word) < 8 else 2
            best = sorted(
                (distance(word, w), w)
                for w in known
                if w[0] == word[0] and abs(len(w) - len(word)) <= limit and len(w) >= 3
            )
            # Closest candidates that are forms of one word ("request", "requests") agree.
            best = [b for i, b in enumerate(best) if i == 0 or stem(b[1]) != stem(best[0][1])]
            if best and best[0][0] <= limit and (len(best) == 1 or best[1][0] > best[0][0]):
                if word in english_words() and not inflects(word, best[0][1]):
                    return word  # "send" is a word, not a misspelt "spend"
                return best[0][1]
            return word

        # Parts of a contraction ("aren't") are not misspellings.
        return re.sub(r"(?<![a-z'])[a-z]+(?![a-z'])", fix, text)

    def link(self, text: str) -> Linked:
        """Greedy longest matches over the question, then spelling-tolerant single words."""
        toks = tokens(text)
        stems = [stem(t) for t in toks]
        linked = Linked(toks)
        i = 0
        while i < len(toks):
            for n in range(min(MAX_NGRAM, len(toks) - i), 0, -1):
                key = tuple(stems[i : i + n])
                if n > 1 and key not in self.phrases and key[-1].endswith("s"):
                    key = (*key[:-1], key[-1][:-1])  # "check ins" are "check in"s
                # A question word is a value only as written ("made" is not the code "MAD").
                if (
                    n == 1
                    and toks[i] in STOP
                    and (
                        len(toks[i]) < 4
                        or (
                            (singular(toks[i]),) not in self.exact
                            and all(kind == "value" for kind, _ in self.phrases.get(key, []))
                        )
                    )
                ):
                    continue
                if key in self.phrases:
                    # What the words say as written comes before what only their stems say
                    # ("bills" is the table before it is the "billings" measure).
                    exact = self.exact.get(tuple(singular(t) for t in toks[i : i + n]), [])
                    items = exact + [x for x in self.phrases[key] if x not in exact]
                    linked.links.append(Link(i, i + n, " ".join(toks[i : i + n]), items))
                    i += n
                    break
            else:
                # "east gate" is the value "Eastgate".
                # "signing up" is "signup", "checked out" is "checkout": the first word's
                # stem joined to the particle.
                pair = (
                    [(stem(toks[i] + toks[i + 1]),), (stem(stems[i] + toks[i + 1]),)]
                    if i + 1 < len(toks)
                    else []
                )
                joined = next((j for j in pair if j in self.phrases), ())
                if joined:
                    linked.links.append(
                        Link(i, i + 2, " ".join(toks[i : i + 2]), self.phrases[joined])
                    )
                    i += 2
                    continue
                word = toks[i]
                if word not in STOP and not word.isdigit():
                    close = difflib.get_close_matches(stems[i], self.singles, 1, FUZZY_CUTOFF)
                    # A misspelling keeps its first letter ("pending" is not "spend").
                    if close and len(word) >= 5 and close[0][0] == word[0]:
                        linked.links.append(
                            Link(i, i + 1, word, self.phrases[(close[0],)], fuzzy=True)
                        )
                    elif word not in self.units:
                        linked.unknown.append((i, word))
                i += 1
        return linked
