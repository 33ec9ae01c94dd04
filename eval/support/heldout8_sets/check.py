#!/usr/bin/env python3
"""Self-check for the eighth batch of held-out support evaluation sets
(public_library, furniture_retailer). The checks are heldout_sets/check.py's;
only NOT_IN_KB_TERMS differs.

Run from anywhere:  python3 eval/support/heldout8_sets/check.py

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
    # public_library
    "lib-82": ["donat", "second-hand", "used book"],
    "lib-83": ["3d", "3-d"],
    "lib-84": ["museum", "attraction"],
    "lib-85": ["volunteer"],
    "lib-86": ["ancestry", "genealog", "family history", "findmypast"],
    "lib-87": ["instrument", "sheet music", "score"],
    "lib-88": ["invigilat", "proctor", "exams", "exam "],
    # furniture_retailer
    "furn-86": ["old sofa", "old furniture", "removal", "dispos", "rubbish"],
    "furn-87": ["gift card", "gift voucher", "voucher", "gift certificate"],
    "furn-88": ["interior design", "stylist", "styling", "design consult"],
    "furn-89": ["rental", "renting", "lease", "hire"],
    "furn-90": ["new zealand", "auckland", "overseas", "international"],
    "furn-91": ["wall mount", "wall-mount", "mounting", "bracket"],
    "furn-92": ["outdoor", "outside", "garden", "patio", "weatherproof"],
}


if __name__ == "__main__":
    sys.exit(first_check.main(HERE, NOT_IN_KB_TERMS))
