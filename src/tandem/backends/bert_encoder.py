"""A BERT sentence encoder on NumPy: safetensors weights, `tokenizers` tokenizer.

Runs sentence-transformers checkpoints such as all-MiniLM-L6-v2 (mean pooling, L2
normalisation) without PyTorch, so the default install pulls no CUDA build of torch.
README.md records the measurement that chose this runtime.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class _Layer:
    qkv_w: Array
    qkv_b: Array
    out_w: Array
    out_b: Array
    ln1_g: Array
    ln1_b: Array
    up_w: Array
    up_b: Array
    down_w: Array
    down_b: Array
    ln2_g: Array
    ln2_b: Array


class BertEncoder:
    """Sentence embeddings from a BERT checkpoint directory, batched and normalised."""

    def __init__(self, model_dir: Path, max_seq_length: int | None = None) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        st_config_path = model_dir / "sentence_bert_config.json"
        st_config = json.loads(st_config_path.read_text()) if st_config_path.is_file() else {}
        self.max_seq_length = int(
            max_seq_length or st_config.get("max_seq_length") or config["max_position_embeddings"]
        )
        self.heads = int(config["num_attention_heads"])
        self.dim = int(config["hidden_size"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.tokenizer.no_padding()
        w = load_file(str(model_dir / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        self.word = w[f"{prefix}embeddings.word_embeddings.weight"]
        self.pos = w[f"{prefix}embeddings.position_embeddings.weight"]
        self.type0 = w[f"{prefix}embeddings.token_type_embeddings.weight"][0]
        self.ln_g = w[f"{prefix}embeddings.LayerNorm.weight"]
        self.ln_b = w[f"{prefix}embeddings.LayerNorm.bias"]
        self.layers = [
            _load_layer(w, f"{prefix}encoder.layer.{i}.")
            for i in range(int(config["num_hidden_layers"]))
        ]

    def count_tokens(self, texts: list[str]) -> int:
        """Tokens the inputs take (after truncation)."""
        return sum(len(e.ids) for e in self.tokenizer.encode_batch(texts))

    def encode(self, texts: list[str], batch_size: int = 32) -> tuple[Array, int]:
        """Unit-length embeddings for `texts`, and the number of tokens read."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._forward([encodings[i].ids for i in idx])
        return out, sum(len(e.ids) for e in encodings)

    def _forward(self, batch: list[list[int]]) -> Array:
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = self.word[ids] + self.pos[:length][None] + self.type0
        x = _layer_norm(x, self.ln_g, self.ln_b, self.eps)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            x = self._block(x, bias, layer)
        summed = (x * mask[..., None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        embeddings: Array = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return embeddings

    def _block(self, x: Array, bias: Array, p: _Layer) -> Array:
        b, t, d = x.shape
        h = self.heads
        # One projection for q, k and v, split into heads with a single copy.
        qkv = _dense(x, p.qkv_w, p.qkv_b).reshape(b, t, 3, h, d // h).transpose(2, 0, 3, 1, 4)
        q, k, v = np.ascontiguousarray(qkv)
        q *= np.float32(1.0 / np.sqrt(d // h))
        scores = q @ k.transpose(0, 1, 3, 2)
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
        x = _layer_norm(x + _dense(ctx, p.out_w, p.out_b), p.ln1_g, p.ln1_b, self.eps)
        up = _gelu(_dense(x, p.up_w, p.up_b))
        out: Array = _layer_norm(x + _dense(up, p.down_w, p.down_b), p.ln2_g, p.ln2_b, self.eps)
        return out


def _load_layer(w: dict[str, Array], p: str) -> _Layer:
    att = f"{p}attention."
    qkv_w = np.concatenate(
        [w[f"{att}self.{n}.weight"] for n in ("query", "key", "value")], axis=0
    ).T.copy()
    qkv_b = np.concatenate([w[f"{att}self.{n}.bias"] for n in ("query", "key", "value")])
    return _Layer(
        qkv_w=qkv_w,
        qkv_b=qkv_b,
        out_w=w[f"{att}output.dense.weight"].T.copy(),
        out_b=w[f"{att}output.dense.bias"],
        ln1_g=w[f"{att}output.LayerNorm.weight"],
        ln1_b=w[f"{att}output.LayerNorm.bias"],
        up_w=w[f"{p}intermediate.dense.weight"].T.copy(),
        up_b=w[f"{p}intermediate.dense.bias"],
        down_w=w[f"{p}output.dense.weight"].T.copy(),
        down_b=w[f"{p}output.dense.bias"],
        ln2_g=w[f"{p}output.LayerNorm.weight"],
        ln2_b=w[f"{p}output.LayerNorm.bias"],
    )


def _dense(x: Array, w: Array, b: Array) -> Array:
    # A 2-D matmul reaches BLAS directly; a 3-D one is markedly slower in NumPy.
    flat = x.reshape(-1, x.shape[-1]) @ w
    flat += b
    out: Array = flat.reshape(*x.shape[:-1], w.shape[1])
    return out


def _layer_norm(x: Array, g: Array, b: Array, eps: float) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Array = ((x - mean) / np.sqrt(var + eps)) * g + b
    return out


def _gelu(x: Array) -> Array:
    """GELU, in place: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).

    The tanh form is within 1e-3 of BERT's erf form; embeddings agree with the reference
    to about 1e-4 (tests/unit/test_bert_encoder.py) at a third of the cost.
    """
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(np.sqrt(2.0 / np.pi))
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner
