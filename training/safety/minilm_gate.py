"""Measure a MiniLM second opinion on what the n-gram network flags (not shipped).

The n-gram network is trained on the train split; a logistic head over MiniLM sentence
embeddings is trained on the same split; on dev, a category the network flags is kept only
where the MiniLM head gives it at least `gate`. Prints recall and ordinary/hard-benign FPR
for several gates, and the encoder's cost per text.

  python training/safety/minilm_gate.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

import corpus  # noqa: E402
from net import Net, pick_thresholds, severities  # noqa: E402
from train import EPOCHS, Model, targets  # noqa: E402


def main() -> None:
    from tandem.backends.bert_encoder import BertEncoder
    from tandem.backends.minilm import packaged_model_dir

    train, dev = corpus.split(corpus.build())
    p = Model(train, 48, EPOCHS, seeds=1, dim=0).predict(dev)
    y = targets(dev)
    ordinary = np.array([corpus.is_ordinary(i) for i in dev])
    t = pick_thresholds(p, y, ordinary)
    encoder = BertEncoder(packaged_model_dir())
    started = time.perf_counter()
    a, _ = encoder.encode([i.text for i in train], batch_size=64)
    b, _ = encoder.encode([i.text for i in dev], batch_size=64)
    cost = (time.perf_counter() - started) / (len(train) + len(dev)) * 1e3
    head = Net(a.shape[1], 0, len(corpus.HEADS), seed=0, dense=True)
    head.train_dense(np.asarray(a, np.float32), targets(train), epochs=60)
    q = head.predict_dense(np.asarray(b, np.float32))
    print(f"MiniLM: {cost:.1f} ms/text batched")
    sev = severities(p, t)
    benign = (y.sum(axis=1) == 0) & ~ordinary
    for gate in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        line, worst = [], np.zeros(len(dev), int)
        for harm, s in sev.items():
            column = corpus.HEADS.index(f"{harm}_2")
            kept = np.where(q[:, column] >= gate, s, 0)
            positive = y[:, column] > 0
            line.append(f"{harm} {np.mean(kept[positive] >= 2):.2f}")
            worst = np.maximum(worst, kept)
        print(
            f"gate {gate:.2f}: recall {' '.join(line)} | hard-benign FPR "
            f"{np.mean(worst[benign] >= 2):.3f} ordinary FPR {np.mean(worst[ordinary] >= 2):.4f}"
        )


if __name__ == "__main__":
    main()
