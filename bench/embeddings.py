"""Embeddings: Tandem's /v1/embeddings vs the NumPy encoder called in-process, same texts.

If sentence-transformers (with torch) happens to be installed, it is measured too, as the
reference runtime; the project itself does not depend on it.

Run: python bench/embeddings.py [--texts N] [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, print_table, start, tandem_cmd
from tandem.backends.bert_encoder import BertEncoder
from tandem.backends.minilm import packaged_model_dir


def texts(n: int) -> list[str]:
    """Customer-support-like sentences of realistic length."""
    return [
        f"Order {i * 7}: the parcel arrived damaged and I would like a refund or a replacement."
        for i in range(n)
    ]


def timed(fn: object, runs: int) -> float:
    """Median seconds of `fn()` over `runs` runs after one warm-up."""
    assert callable(fn)
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=256)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    batch = texts(args.texts)
    rows: list[list[str]] = []
    encoder = BertEncoder(packaged_model_dir())
    numpy_s = timed(lambda: encoder.encode(batch), args.runs)
    rows.append(["NumPy encoder, in-process", f"{args.texts / numpy_s:.0f}", "1.00"])
    try:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
        torch_s = timed(lambda: model.encode(batch, batch_size=32), args.runs)
        rows.append(
            [
                "sentence-transformers (torch)",
                f"{args.texts / torch_s:.0f}",
                f"{numpy_s / torch_s:.2f}",
            ]
        )
    except ImportError:
        rows.append(["sentence-transformers (torch)", "not installed", "-"])
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "tandem.toml"
        config.write_text(f'log_level = "warning"\ndata_dir = "{tmp}"\n')
        server = start(tandem_cmd(port, config), f"http://127.0.0.1:{port}/readyz")
        try:
            with httpx.Client(timeout=300) as client:
                body = {"model": "all-minilm-l6-v2", "input": batch, "encoding_format": "base64"}
                url = f"http://127.0.0.1:{port}/v1/embeddings"
                api_s = timed(lambda: client.post(url, json=body).raise_for_status(), args.runs)
        finally:
            server.terminate()
            server.wait()
    rows.append(
        ["Tandem /v1/embeddings (base64)", f"{args.texts / api_s:.0f}", f"{numpy_s / api_s:.2f}"]
    )
    print_table(
        f"all-MiniLM-L6-v2, {args.texts} texts per call, median of {args.runs}",
        ["runtime", "texts/s", "speed vs NumPy in-process"],
        rows,
    )


if __name__ == "__main__":
    main()
