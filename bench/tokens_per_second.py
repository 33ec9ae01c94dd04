"""Tokens/s through Tandem's API vs raw llama-cpp-python in-process, same prompt and model.

Both generate a fixed number of tokens greedily from the same prompt (EOS ignored by
asking for a long answer and capping max_tokens). Prints tokens/s of each and the ratio.

Run: python bench/tokens_per_second.py [--tokens N] [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, print_table, start, tandem_cmd

PROMPT = "Write a long, detailed essay about the history of sailing ships."


def raw_run(llama: object, tokens: int) -> tuple[float, int]:
    """Tokens/s of llama-cpp-python called directly, streaming, as Tandem does."""
    messages = [{"role": "user", "content": PROMPT}]
    started = time.perf_counter()
    produced = 0
    for chunk in llama.create_chat_completion(  # type: ignore[attr-defined]
        messages=messages, max_tokens=tokens, temperature=0, stream=True
    ):
        if chunk["choices"][0]["delta"].get("content"):
            produced += 1
    return produced / (time.perf_counter() - started), produced


def api_run(client: httpx.Client, url: str, tokens: int) -> tuple[float, int]:
    """Tokens/s seen by a client streaming from Tandem's /v1/chat/completions."""
    body = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": tokens,
        "temperature": 0,
        "stream": True,
    }
    started = time.perf_counter()
    produced = 0
    with client.stream("POST", f"{url}/v1/chat/completions", json=body) as response:
        for line in response.iter_lines():
            if line.startswith("data: {"):
                choices = orjson.loads(line[6:])["choices"]
                if choices and choices[0]["delta"].get("content"):
                    produced += 1
    return produced / (time.perf_counter() - started), produced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "tandem.toml"
        config.write_text(f'log_level = "warning"\ndata_dir = "{tmp}"\n')
        server = start(tandem_cmd(port, config), f"http://127.0.0.1:{port}/readyz")
        try:
            from llama_cpp import Llama

            from tandem.backends.llamacpp import packaged_model_path

            llama = Llama(model_path=str(packaged_model_path()), n_ctx=4096, verbose=False)
            raw_rates, api_rates, raw_counts, api_counts = [], [], [], []
            with httpx.Client(timeout=300) as client:
                for _ in range(args.runs):  # alternate: both see the same machine conditions
                    rate, count = raw_run(llama, args.tokens)
                    raw_rates.append(rate)
                    raw_counts.append(count)
                    rate, count = api_run(client, f"http://127.0.0.1:{port}", args.tokens)
                    api_rates.append(rate)
                    api_counts.append(count)
            raw, api = statistics.median(raw_rates), statistics.median(api_rates)
        finally:
            server.terminate()
            server.wait()
    print_table(
        f"SmolLM2-135M Q4_1, {args.tokens} tokens, median of {args.runs} runs",
        ["path", "tokens/s", "tokens per run", "ratio to raw"],
        [
            ["raw llama-cpp-python", f"{raw:.1f}", str(raw_counts[0]), "1.00"],
            ["Tandem API (SSE)", f"{api:.1f}", str(api_counts[0]), f"{api / raw:.3f}"],
        ],
    )


if __name__ == "__main__":
    main()
