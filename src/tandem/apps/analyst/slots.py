"""Which unlinked words matter: a word that names nothing in the semantic model is a reason to
ask only where the question needs a name there (after "by", "per", "for", "in", "of", a
comparative, as the head noun an aggregation applies to, or just before an entity it would
qualify). Elsewhere it is a verb or a pleasantry ("pull", "thanks", "on the platform") and
is left out, and the interpretation says so."""

from __future__ import annotations

from tandem.apps.analyst.linking import Linked

# Words after which a name of the data must follow: group-by, filter, threshold and the
# aggregation's head noun.
_CUES = """
    by per each every across for in from of with without where whose excluding except only
    than over above under below vs versus total sum average avg mean median number count
    many much top bottom highest lowest max min maximum minimum what which that who show
    list between among when while at
"""
SLOT_CUES = frozenset(_CUES.split())
# Words skipped when looking back for a cue ("by the region", "what is the churn").
_FILLERS = "the a an our my their your its this these those me us you is are was were be been"
FILLERS = frozenset(_FILLERS.split()) | {"being", "all", "any", "some", "it", "they", "we"}


def runs(linked: Linked) -> list[list[tuple[int, str]]]:
    """The unknown words grouped into runs of adjacent tokens (one noun phrase each)."""
    out: list[list[tuple[int, str]]] = []
    for position, word in sorted(linked.unknown):
        if out and out[-1][-1][0] == position - 1:
            out[-1].append((position, word))
        else:
            out.append([(position, word)])
    return out


def significant(linked: Linked) -> list[tuple[int, str]]:
    """The unknown words that sit where a measure, dimension or value must be."""
    starts = {link.start: link for link in linked.links}
    keep: list[tuple[int, str]] = []
    for run in runs(linked):
        first, last = run[0][0], run[-1][0]
        cue = _cue_before(linked.tokens, first)
        following = starts.get(last + 1)
        modifies = (
            following is not None
            and any(kind in ("entity", "dimension") for kind, _ in following.items)
            and not any(kind == "measure" for kind, _ in following.items)
        )
        if first == 0 or cue or modifies or _predicate(linked, first):
            keep.extend(run)
    return keep


def _cue_before(tokens: list[str], position: int) -> bool:
    i = position - 1
    while i >= 0 and tokens[i] in FILLERS:
        i -= 1
    return i >= 0 and tokens[i] in SLOT_CUES


def _predicate(linked: Linked, position: int) -> bool:
    """ "orders that are pending": a word said of a thing, after a form of "be"."""
    i = position - 1
    skipped_be = False
    while i >= 0 and linked.tokens[i] in FILLERS:
        skipped_be = skipped_be or linked.tokens[i] in _BE
        i -= 1
    if not skipped_be or i < 0:
        return False
    return any(
        link.start <= i < link.end and link.items and link.items[0][0] in ("entity", "dimension")
        for link in linked.links
    )


_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
