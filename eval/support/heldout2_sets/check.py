#!/usr/bin/env python3
"""Self-check for the second batch of held-out support evaluation sets
(telecom_mobile, online_grocery). The checks are heldout_sets/check.py's;
only NOT_IN_KB_TERMS differs.

Run from anywhere:  python3 eval/support/heldout2_sets/check.py

For every set directory next to this file (one that has questions.jsonl
and kb/) it verifies:

  * questions.jsonl parses, every line has exactly the fields
    id, question, expect, reason, key_facts, sources, with valid values;
  * ids are unique across all sets;
  * every source file named exists in kb/;
  * every key fact of an answerable question occurs VERBATIM in at least
    one of its listed sources, after whitespace normalisation (the
    Markdown and text files are hard-wrapped, so a fact may be split
    across lines).  For HTML sources the text is also compared after
    removing tags and decoding entities (so "Settings &gt; Billing"
    matches "Settings > Billing");
  * handoffs have key_facts == [] and a valid reason, and not_in_kb
    handoffs list no sources;
  * for each not_in_kb question, the key subject terms listed in
    NOT_IN_KB_TERMS below appear in NO knowledge-base document of that
    set (case-insensitive), so the question really is unanswerable;
  * set-level composition: >= 42 questions, >= 16 handoffs, every handoff
    reason at least twice (not_in_kb at least 4), 8-14 KB documents with
    >= 3 hard-wrapped Markdown files (lists, and a table in at least one),
    >= 2 HTML pages with nav/footer boilerplate, and >= 1 .txt file.

Exit status 0 when everything passes, 1 otherwise.  Standard library only.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_SPEC = importlib.util.spec_from_file_location("first_check", HERE.parent / "heldout_sets/check.py")
assert _SPEC is not None
assert _SPEC.loader is not None
first_check = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(first_check)

# Terms naming the key subject of each not_in_kb question.  None of them
# may appear (case-insensitive substring) anywhere in that set's KB.
NOT_IN_KB_TERMS = {
    # telecom_mobile
    "tel-44": ["satellite", "sos"],
    "tel-45": ["broadband", "fibre", "fiber", "router", "home internet", "bundle"],
    "tel-46": ["watch", "wearable", "companion", "paired device", "smartwatch"],
    "tel-47": ["trade in", "trade-in", "buyback", "buy back", "recycl", "resale"],
    "tel-48": ["student", "universit", "college", "uni "],
    # online_grocery
    "groc-44": ["gift"],
    "groc-45": ["catering", "platter", "party", "office do", "large order"],
    "groc-46": ["tipping", "gratuit", "tip the driver", "tip my driver", "tip your driver", "tips"],
    "groc-47": [
        "click and collect",
        "click & collect",
        "collect",
        "pickup",
        "pick-up",
        "pick up",
        "locker",
    ],
    "groc-48": [
        "price match",
        "price-match",
        "match the price",
        "cheaper elsewhere",
        "competitor",
        "tesco",
    ],
}


if __name__ == "__main__":
    sys.exit(first_check.main(HERE, NOT_IN_KB_TERMS))
