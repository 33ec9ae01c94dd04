"""Rebuild the learned stage's weights: src/tandem/safety/weights/learned.npz (+ .sha256).

Deterministic: the corpus is composed with fixed seeds and the network trained with one, so
a rebuild on the same platform gives the same file (the checksum says whether it did).

  python training/safety/train.py            # dev report, then the shipped weights
  python training/safety/train.py --compare  # also: linear model and a MiniLM head on dev

Thresholds come from the dev split (whole frame families held out); the shipped network is
then trained on train + dev with the same settings and keeps those thresholds.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import corpus  # noqa: E402
from net import Net, evaluate, pick_thresholds  # noqa: E402

from tandem.safety.features import indices, vocabulary_of  # noqa: E402
from tandem.safety.learned import WEIGHTS, checksum  # noqa: E402

HIDDEN = 48
EPOCHS = 24


def featurize(items: list[corpus.Item], vocabulary: dict[str, int]) -> list[np.ndarray]:
    return [np.array(indices(i.text, vocabulary), dtype=np.int64) for i in items]


def targets(items: list[corpus.Item]) -> np.ndarray:
    return np.array([i.targets() for i in items], dtype=np.float32)


def fit(items: list[corpus.Item], hidden: int, epochs: int = EPOCHS) -> tuple[Net, dict[str, int]]:
    vocabulary = vocabulary_of(i.text for i in items)
    net = Net(len(vocabulary), hidden, len(corpus.HEADS), seed=0)
    net.train(featurize(items, vocabulary), targets(items), epochs=epochs)
    return net, vocabulary


def dev_report(
    train: list[corpus.Item], dev: list[corpus.Item], hidden: int, epochs: int = EPOCHS
) -> np.ndarray:
    net, vocabulary = fit(train, hidden, epochs)
    x = featurize(dev, vocabulary)
    started = time.perf_counter()
    probabilities = net.predict(x)
    per_text = (time.perf_counter() - started) / len(dev) * 1e6
    ordinary = np.array([corpus.is_ordinary(i) for i in dev])
    hard = np.array([not i.labels and not corpus.is_ordinary(i) for i in dev])
    thresholds = pick_thresholds(probabilities, targets(dev), ordinary, hard=hard)
    name = f"MLP h={hidden}" if hidden else "linear"
    print(f"\n== {name}: {len(vocabulary)} features, {per_text:.0f} us/text (forward only)")
    evaluate(probabilities, targets(dev), thresholds, ordinary)
    return thresholds


def minilm_head(train: list[corpus.Item], dev: list[corpus.Item]) -> None:
    """A logistic head over MiniLM sentence embeddings, for comparison (not shipped)."""
    from tandem.backends.bert_encoder import BertEncoder
    from tandem.backends.minilm import packaged_model_dir

    encoder = BertEncoder(packaged_model_dir())
    started = time.perf_counter()
    a, _ = encoder.encode([i.text for i in train], batch_size=64)
    b, _ = encoder.encode([i.text for i in dev], batch_size=64)
    per_text = (time.perf_counter() - started) / (len(train) + len(dev)) * 1e6
    net = Net(a.shape[1], 0, len(corpus.HEADS), seed=0, dense=True)
    net.train_dense(np.asarray(a, np.float32), targets(train), epochs=60)
    probabilities = net.predict_dense(np.asarray(b, np.float32))
    print(f"\n== MiniLM head: {per_text:.0f} us/text to embed (batched)")
    ordinary = np.array([corpus.is_ordinary(i) for i in dev])
    thresholds = pick_thresholds(probabilities, targets(dev), ordinary)
    evaluate(probabilities, targets(dev), thresholds, ordinary)


def save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz numpy can load, byte-identical for identical arrays (np.savez stamps the
    time into each zip entry)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    items = corpus.build()
    train, dev = corpus.split(items)
    print(f"corpus: {len(items)} texts ({len(train)} train, {len(dev)} dev, whole families)")
    if args.compare:
        dev_report(train, dev, 0)
        minilm_head(train, dev)
    thresholds = dev_report(train, dev, HIDDEN, args.epochs)
    net, vocabulary = fit(items, HIDDEN, args.epochs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save(args.out, {
        "vocabulary": np.array(sorted(vocabulary, key=vocabulary.__getitem__)),
        "heads": np.array(corpus.HEADS),
        "thresholds": thresholds.astype(np.float32),
        "w1": net.w1.astype(np.float16), "b1": net.b1.astype(np.float32),
        "w2": net.w2.astype(np.float32), "b2": net.b2.astype(np.float32),
    })  # fmt: skip
    digest = checksum(args.out)
    args.out.with_suffix(".sha256").write_text(f"{digest}  {args.out.name}\n")
    print(f"\nwrote {args.out} ({args.out.stat().st_size // 1024} KB), sha256 {digest}")


if __name__ == "__main__":
    main()
