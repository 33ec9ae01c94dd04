"""Token estimates for admission, made before the model has seen the request."""

from __future__ import annotations

from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest

CHARS_PER_TOKEN = 4
DEFAULT_COMPLETION_ESTIMATE = 256
PER_MESSAGE_OVERHEAD = 4


def _tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def estimate(
    request: ChatCompletionRequest | CompletionRequest | EmbeddingRequest,
) -> tuple[int, int]:
    """(prompt tokens, completion allowance): their sum is what TPM admission counts."""
    if isinstance(request, EmbeddingRequest):
        if isinstance(request.input, str):
            return _tokens(request.input), 0
        return sum(
            _tokens(i) if isinstance(i, str) else len(i) if isinstance(i, list) else 1
            for i in request.input
        ), 0
    if isinstance(request, ChatCompletionRequest):
        prompt = sum(_tokens(m.text()) + PER_MESSAGE_OVERHEAD for m in request.messages)
        allowance = request.token_limit or DEFAULT_COMPLETION_ESTIMATE
    else:
        prompt = sum(_tokens(p) for p in request.prompts())
        allowance = request.max_tokens or DEFAULT_COMPLETION_ESTIMATE
    return prompt, allowance * request.n
