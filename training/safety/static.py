"""Static token vectors distilled from MiniLM (model2vec-style), for the learned stage.

Each WordPiece token of all-MiniLM-L6-v2's vocabulary is run through the encoder on its own
(`[CLS] token [SEP]`, mean pooled, unit length). `table` then centres them, keeps the
first `dim` principal components (fitted on the tokens the corpus uses) and weights each
token by its rarity in the corpus (SIF: a / (a + p(token))), so "the" and "," barely move a
text's vector and "strangle" does. At runtime a text's vector is the normalised sum of its
tokens' rows: a table lookup per token, no transformer, and words the corpus never had
still land near the words they mean.

The distilled vectors are cached (`CACHE`, ~47 MB, a few minutes to compute on 2 cores);
the computation is deterministic on one platform.

  python training/safety/static.py   # fill the cache
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from tandem.safety.features import StaticVectors  # noqa: E402

CACHE = Path(os.environ.get("TANDEM_STATIC_CACHE", "/tmp/tandem-static-minilm.npy"))
BATCH = 512
SIF = 1e-3


def pieces() -> list[str]:
    """MiniLM's WordPiece vocabulary, in id order."""
    from tandem.backends.minilm import packaged_model_dir

    text = (packaged_model_dir() / "vocab.txt").read_text(encoding="utf-8")
    return text.splitlines()


def distil(cache: Path = CACHE) -> np.ndarray:
    """(vocabulary size, 384) unit vectors, one per token, cached at `cache`."""
    if cache.exists():
        return np.load(cache)
    from tandem.backends.bert_encoder import BertEncoder
    from tandem.backends.minilm import packaged_model_dir

    encoder = BertEncoder(packaged_model_dir())
    size = encoder.word.shape[0]
    vectors = np.zeros((size, encoder.dim), np.float32)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        ids = [[101, i, 102] for i in range(start, min(size, start + BATCH))]
        vectors[start : start + len(ids)] = encoder._forward(ids)
        print(f"  distilled {start + len(ids)}/{size} ({time.perf_counter() - started:.0f}s)")
    np.save(cache, vectors)
    return vectors


def table(texts: Iterable[str], dim: int) -> tuple[list[str], np.ndarray]:
    """The vocabulary and the (vocabulary size, dim) float32 table the weights ship."""
    full = distil()
    names = pieces()
    vectors = StaticVectors({p: i for i, p in enumerate(names)}, full)
    counts = np.zeros(len(full))
    for text in texts:
        np.add.at(counts, vectors.ids(text), 1)
    share = counts / counts.sum()
    centred = full - full[counts > 0].mean(axis=0)
    _, _, components = np.linalg.svd(centred[counts > 0], full_matrices=False)
    reduced = centred @ components[:dim].T
    return names, (reduced * (SIF / (SIF + share))[:, None]).astype(np.float32)


if __name__ == "__main__":
    distil()
