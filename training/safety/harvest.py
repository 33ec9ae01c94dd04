"""Harvest ordinary English sentences from text already on this machine, offline.

Sources: package metadata and docstrings in the virtual environment, the standard
library's docstrings, and /usr/share/doc copyright and changelog files. Sentences that the
pattern stage finds anything in (any harm category, jailbreak, indirect attack, profanity)
are dropped; so are code-like lines. The result is a fixed snapshot,
`data/harvested.txt`, which the corpus reads: a rebuild does not depend on what happens to
be installed (run this script again only to refresh the snapshot).

  python training/safety/harvest.py [--limit 6000]
"""

from __future__ import annotations

import argparse
import ast
import random
import re
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tandem.safety.patterns import PatternClassifier  # noqa: E402

OUT = HERE / "data" / "harvested.txt"
_SENTENCE = re.compile(r"[A-Z][^.!?\n]{20,220}[.!?](?=\s|$)")
_CODE = re.compile(r"[{}\[\]<>=_|\\`@#$%^*~]|::|\(\)|https?:|www\.|\.py\b|\d{4,}")
_WORD = re.compile(r"[A-Za-z]+")


def _docstrings(path: Path) -> Iterator[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="ignore"))
    except (SyntaxError, ValueError, RecursionError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node)
            if doc:
                yield doc


def _texts() -> Iterator[str]:
    site = Path(sysconfig.get_paths()["purelib"])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for meta in sorted(site.glob("*.dist-info/METADATA")):
        yield meta.read_text(encoding="utf-8", errors="ignore")
    for root in (site, stdlib):
        for path in sorted(root.rglob("*.py")):
            tests = "test" in path.parts or "tests" in path.parts
            if tests or (root == stdlib and "site-packages" in path.parts[:-1]):
                continue
            yield from _docstrings(path)
    for path in sorted(Path("/usr/share/doc").glob("*/*")):
        named = path.name in ("copyright", "README", "NEWS") or path.name.startswith("changelog")
        if named and path.suffix != ".gz" and path.is_file():
            yield path.read_text(encoding="utf-8", errors="ignore")


def sentences(text: str) -> Iterator[str]:
    """Prose sentences: 20-220 characters, mostly words, nothing code-like."""
    flat = re.sub(r"\s+", " ", text)
    for match in _SENTENCE.finditer(flat):
        sentence = match.group(0).strip()
        words = _WORD.findall(sentence)
        if len(words) < 5 or _CODE.search(sentence):
            continue
        if sum(len(w) for w in words) < 0.7 * len(sentence.replace(" ", "")):
            continue
        yield sentence


def harvest(limit: int, seed: int = 3) -> list[str]:
    """Up to `limit` distinct harmless sentences, sampled reproducibly from what was found."""
    found = sorted({s for text in _texts() for s in sentences(text)})
    rng = random.Random(seed)
    rng.shuffle(found)
    patterns = PatternClassifier()
    kept: list[str] = []
    for sentence in found:
        analysis = patterns.analyze(sentence, jailbreak=True)
        if any(analysis.severities.values()) or analysis.jailbreak or analysis.profanity:
            continue
        if patterns.indirect_attack(sentence):
            continue
        kept.append(sentence)
        if len(kept) >= limit:
            break
    return sorted(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=6000)
    args = parser.parse_args()
    kept = harvest(args.limit)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} sentences to {OUT}")


if __name__ == "__main__":
    main()
