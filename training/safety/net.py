"""A small NumPy network over sparse binary features (or dense embeddings), trained with
Adam and input-feature dropout; threshold choice and the dev report."""

from __future__ import annotations

import numpy as np
from corpus import HARMS, HEADS

BATCH = 32
LR = 0.01
FLOOR = 0.6  # the low and binary heads
FLOOR_HIGH = 0.75  # medium and high severity need confident evidence
DROP = 0.25  # share of a text's features hidden per step: the model must not lean on one word


class Net:
    """Sparse input → ReLU hidden (or none: linear) → sigmoid heads."""

    def __init__(
        self,
        inputs: int,
        hidden: int,
        outputs: int,
        seed: int,
        dense: bool = False,
        extra: int = 0,
    ):
        self.rng = np.random.default_rng(seed)
        self.hidden = hidden
        width = hidden or outputs
        self.w1 = (self.rng.standard_normal((inputs, width)) * 0.05).astype(np.float32)
        self.b1 = np.zeros(width, np.float32)
        # A dense input beside the sparse one (the text's static MiniLM vector), or none.
        self.wd = (self.rng.standard_normal((extra, width)) * (1 / max(extra, 1)) ** 0.5).astype(
            np.float32
        )
        if hidden:
            self.w2 = (self.rng.standard_normal((hidden, outputs)) * (2 / hidden) ** 0.5).astype(
                np.float32
            )
        else:  # linear: an identity second layer keeps one forward path
            self.w2 = np.eye(outputs, dtype=np.float32)
        self.b2 = np.zeros(outputs, np.float32)
        self._adam: dict[str, list[np.ndarray]] = {}
        self._step = 0

    # -- sparse -------------------------------------------------------------------------------

    def _pool(self, rows: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lengths = np.array([max(len(r), 1) for r in rows])
        flat = np.concatenate([r if len(r) else np.array([0]) for r in rows])
        weights = np.concatenate(
            [np.full(len(r), 1 / np.sqrt(len(r))) if len(r) else np.zeros(1) for r in rows]
        ).astype(np.float32)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pooled = np.add.reduceat(self.w1[flat] * weights[:, None], offsets, axis=0)
        return pooled, flat, weights

    def _forward(
        self, pooled: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        pre = pooled + self.b1
        if extra is not None and len(self.wd):
            pre = pre + extra @ self.wd
        hidden = np.maximum(pre, 0) if self.hidden else pre
        return hidden, 1 / (1 + np.exp(-np.clip(hidden @ self.w2 + self.b2, -30, 30)))

    def predict(self, rows: list[np.ndarray], extra: np.ndarray | None = None) -> np.ndarray:
        """Probabilities, one row per text."""
        return np.vstack([self._forward(self._pool(rows[i : i + 256])[0],
                                        None if extra is None else extra[i : i + 256])[1]
                          for i in range(0, len(rows), 256)])  # fmt: skip

    def train(
        self,
        rows: list[np.ndarray],
        y: np.ndarray,
        epochs: int,
        extra: np.ndarray | None = None,
        weight: np.ndarray | None = None,
    ) -> None:
        """Minibatch Adam on weighted binary cross-entropy (`weight`: per text)."""
        positive = np.clip(y.mean(axis=0), 1e-3, None)
        balance = np.clip(0.5 / positive, 1.0, 8.0).astype(np.float32)  # rare heads count more
        for _ in range(epochs):
            order = self.rng.permutation(len(rows))
            for start in range(0, len(order), BATCH):
                batch = order[start : start + BATCH]
                kept = [r[self.rng.random(len(r)) >= DROP] for r in (rows[i] for i in batch)]
                pooled, flat, weights = self._pool(kept)
                dense = None if extra is None else extra[batch]
                hidden, out = self._forward(pooled, dense)
                target = y[batch]
                scale = np.where(target > 0, balance, 1.0)
                if weight is not None:
                    scale = scale * weight[batch, None]
                grad_logits = (out - target) * scale / len(batch)
                grads = {"w2": hidden.T @ grad_logits, "b2": grad_logits.sum(0)}
                grad_hidden = grad_logits @ self.w2.T
                if self.hidden:
                    grad_hidden *= hidden > 0
                grads["b1"] = grad_hidden.sum(0)
                if dense is not None:
                    grads["wd"] = dense.T @ grad_hidden
                segment = np.repeat(np.arange(len(kept)), [max(len(r), 1) for r in kept])
                rows_grad = grad_hidden[segment] * weights[:, None]
                # Sum the gradient per feature row (sorted, then reduceat: np.add.at is slow).
                by_row = np.argsort(flat, kind="stable")
                unique, starts = np.unique(flat[by_row], return_index=True)
                summed = np.add.reduceat(rows_grad[by_row], starts, axis=0)
                self._update(grads, unique, summed)

    def _moments(self, name: str, param: np.ndarray) -> list[np.ndarray]:
        """Adam's first and second moments of one parameter (allocated once)."""
        if name not in self._adam:
            self._adam[name] = [np.zeros_like(param), np.zeros_like(param)]
        return self._adam[name]

    def _update(self, grads: dict[str, np.ndarray], rows: np.ndarray, w1_grad: np.ndarray) -> None:
        self._step += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        correction = np.sqrt(1 - b2**self._step) / (1 - b1**self._step)
        named = {"b1": self.b1, "b2": self.b2}
        if "wd" in grads:
            named["wd"] = self.wd
        if self.hidden:
            named["w2"] = self.w2
        for name, param in named.items():
            m, v = self._moments(name, param)
            m *= b1
            m += (1 - b1) * grads[name]
            v *= b2
            v += (1 - b2) * grads[name] ** 2
            param -= LR * correction * m / (np.sqrt(v) + eps)
        # Lazy Adam on the embedding rows a batch touched, with a little weight decay.
        m, v = self._moments("w1", self.w1)
        grad = w1_grad + 1e-4 * self.w1[rows]
        m[rows] = b1 * m[rows] + (1 - b1) * grad
        v[rows] = b2 * v[rows] + (1 - b2) * grad**2
        self.w1[rows] -= LR * correction * m[rows] / (np.sqrt(v[rows]) + eps)

    # -- dense (the MiniLM comparison) --------------------------------------------------------

    def train_dense(self, x: np.ndarray, y: np.ndarray, epochs: int) -> None:
        """Logistic regression on dense inputs (full-batch Adam)."""
        for _ in range(epochs * 10):
            out = 1 / (1 + np.exp(-(x @ self.w1 + self.b1)))
            grad = (out - y) / len(x)
            self._step += 1
            for name, param, g in (("w1", self.w1, x.T @ grad), ("b1", self.b1, grad.sum(0))):
                m, v = self._adam.setdefault(name, [np.zeros_like(param), np.zeros_like(param)])
                m[:] = 0.9 * m + 0.1 * g
                v[:] = 0.999 * v + 0.001 * g**2
                param -= 0.01 * m / (np.sqrt(v) + 1e-8)

    def predict_dense(self, x: np.ndarray) -> np.ndarray:
        """Probabilities on dense inputs."""
        return 1 / (1 + np.exp(-(x @ self.w1 + self.b1)))


def pick_thresholds(
    p: np.ndarray,
    y: np.ndarray,
    ordinary: np.ndarray,
    max_fpr: float = 0.03,
    max_fpr_ordinary: float = 0.001,
    hard: np.ndarray | None = None,
    max_fpr_hard: float = 0.02,
) -> np.ndarray:
    """Per head: the lowest threshold whose false-positive rate stays within `max_fpr` on the
    head's negatives and within `max_fpr_ordinary` on ordinary text (everyday traffic must
    almost never be flagged), in [floor, 0.95]. The floor is FLOOR for the low and binary
    heads and FLOOR_HIGH for medium and high: those need confident evidence."""
    out = np.full(p.shape[1], 0.5, np.float32)
    for head, name in enumerate(HEADS):
        floor = FLOOR_HIGH if name.endswith(("_4", "_6")) else FLOOR
        allowed = floor
        negative = y[:, head] == 0
        budgets = [(negative, max_fpr), (negative & ordinary, max_fpr_ordinary)]
        if hard is not None:
            # Hard benign neighbours (security talk, medicine, history) are few among the
            # negatives; their own budget keeps them from being drowned by easy text.
            budgets.append((negative & hard, max_fpr_hard))
        for mask, budget in budgets:
            negatives = np.sort(p[mask, head])
            if len(negatives):
                at = negatives[min(len(negatives) - 1, int(len(negatives) * (1 - budget)))]
                allowed = max(allowed, float(at) + 1e-4)
        out[head] = float(np.clip(allowed, floor, 0.95))
    return out


def severities(p: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
    """Ordinal severity per harm category (0/2/4/6): a level counts only when every level
    below it fires too (as at runtime)."""
    out = {}
    for harm in HARMS:
        sev = np.zeros(len(p), int)
        fired = np.ones(len(p), bool)
        for level in (2, 4, 6):
            head = HEADS.index(f"{harm}_{level}")
            fired &= p[:, head] >= t[head]
            sev = np.where(fired, level, sev)
        out[harm] = sev
    return out


def evaluate(p: np.ndarray, y: np.ndarray, t: np.ndarray, ordinary: np.ndarray) -> None:
    """Recall at low per category and shield, false positives on hard-benign texts and on
    ordinary text (at low and at medium)."""
    sev = severities(p, t)
    benign = (y.sum(axis=1) == 0) & ~ordinary
    any_harm = np.zeros(len(p), bool)
    for harm in HARMS:
        positive = y[:, HEADS.index(f"{harm}_2")] > 0
        caught = sev[harm] >= 2
        exact = np.mean(sev[harm][positive] == _level(y, harm)[positive]) if positive.any() else 0
        any_harm |= caught
        print(f"  {harm:<10} n={positive.sum():>4} recall@low {caught[positive].mean():.2f}"
              f"  severity exact {exact:.2f}  FPR(benign) {caught[benign].mean():.3f}")  # fmt: skip
    for head in ("jailbreak", "indirect"):
        i = HEADS.index(head)
        positive = y[:, i] > 0
        fired = p[:, i] >= t[i]
        print(f"  {head:<10} n={positive.sum():>4} recall {fired[positive].mean():.2f}"
              f"  FPR(benign) {fired[benign].mean():.3f}")  # fmt: skip
    print(f"  hard benign n={benign.sum()}: any harm >= low {any_harm[benign].mean():.3f}")
    worst = np.max(np.stack(list(sev.values())), axis=0)
    shields = (p[:, HEADS.index("jailbreak")] >= t[HEADS.index("jailbreak")]) | (
        p[:, HEADS.index("indirect")] >= t[HEADS.index("indirect")]
    )
    print(
        f"  ordinary n={ordinary.sum()}: any harm >= low {np.mean(worst[ordinary] >= 2):.4f}"
        f"  >= medium {np.mean(worst[ordinary] >= 4):.4f}  shield {shields[ordinary].mean():.4f}"
    )


def _level(y: np.ndarray, harm: str) -> np.ndarray:
    level = np.zeros(len(y), int)
    for value in (2, 4, 6):
        level = np.where(y[:, HEADS.index(f"{harm}_{value}")] > 0, value, level)
    return level
