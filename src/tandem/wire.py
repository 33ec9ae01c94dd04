"""OpenAI wire models shared by every HTTP surface and every backend.

Request bodies are validated once, here, with `extra="forbid"`: a parameter Tandem does
not know is rejected with a 400 naming it instead of being silently ignored. Responses
stay plain JSON dicts in OpenAI's shape, the currency every backend already speaks.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from jsonschema import Draft202012Validator, SchemaError, validators
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tandem.errors import InvalidRequestError

JSONObject = dict[str, Any]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def checked_schema(schema: JSONObject | None) -> JSONObject | None:
    """A JSON schema that passes its meta-schema (draft 2020-12 unless `$schema` names
    another), so a malformed one is a 400 here rather than a failure in a backend."""
    if schema is None:
        return None
    validator: Any = Draft202012Validator
    if isinstance(schema.get("$schema"), str):
        with warnings.catch_warnings():
            # An unknown $schema falls back to the default (jsonschema warns, then complies).
            warnings.simplefilter("ignore", DeprecationWarning)
            validator = validators.validator_for(schema, default=Draft202012Validator)
    try:
        validator.check_schema(schema)
    except SchemaError as exc:
        raise ValueError(f"not a valid JSON schema: {exc.message}") from exc
    except RecursionError as exc:
        raise ValueError("the JSON schema is nested too deeply") from exc
    return schema


class TextPart(_Strict):
    """A text part of a message's content."""

    type: Literal["text"]
    text: str


class ImageURL(_Strict):
    """The image reference of an image part."""

    url: str
    detail: Literal["auto", "low", "high"] | None = None


class ImagePart(_Strict):
    """An image part of a message's content (only upstreams with vision take it)."""

    type: Literal["image_url"]
    image_url: ImageURL


ContentPart = Annotated[TextPart | ImagePart, Field(discriminator="type")]


class FunctionCall(_Strict):
    """The function an assistant asked to call."""

    name: str
    arguments: str


class ToolCall(_Strict):
    """One tool call in an assistant message."""

    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class ChatMessage(_Strict):
    """One message of a conversation."""

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None
    refusal: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> ChatMessage:
        if self.role == "tool" and not self.tool_call_id:
            raise ValueError("messages with role 'tool' need a tool_call_id")
        if self.content is None and not self.tool_calls and self.role != "assistant":
            raise ValueError(f"messages with role '{self.role}' need content")
        return self

    def text(self) -> str:
        """The message's text, with parts joined."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text for p in self.content if isinstance(p, TextPart))


class FunctionDefinition(_Strict):
    """A function the model may call."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str | None = None
    parameters: JSONObject | None = None
    strict: bool | None = None

    _check_parameters = field_validator("parameters")(checked_schema)


class Tool(_Strict):
    """A tool offered to the model."""

    type: Literal["function"]
    function: FunctionDefinition


class NamedFunction(_Strict):
    """The function `tool_choice` forces."""

    name: str


class NamedToolChoice(_Strict):
    """`tool_choice` naming one function."""

    type: Literal["function"]
    function: NamedFunction


class JSONSchemaFormat(_Strict):
    """The schema of a `json_schema` response format."""

    name: str
    description: str | None = None
    schema_: JSONObject | None = Field(default=None, alias="schema")
    strict: bool | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    _check_schema = field_validator("schema_")(checked_schema)


class ResponseFormat(_Strict):
    """`response_format`: free text, any JSON object, or JSON matching a schema."""

    type: Literal["text", "json_object", "json_schema"]
    json_schema: JSONSchemaFormat | None = None

    @model_validator(mode="after")
    def _schema_present(self) -> ResponseFormat:
        if self.type == "json_schema" and self.json_schema is None:
            raise ValueError("response_format of type 'json_schema' needs a json_schema")
        return self


class StreamOptions(_Strict):
    """Options of a streamed response."""

    include_usage: bool = False


class _Sampling(_Strict):
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    n: int = Field(default=1, ge=1, le=8)
    stop: str | list[str] | None = None
    seed: int | None = None
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = None

    def stop_list(self) -> list[str]:
        """`stop` as a list."""
        if self.stop is None:
            return []
        return [self.stop] if isinstance(self.stop, str) else list(self.stop)

    @field_validator("stop")
    @classmethod
    def _stop_not_empty(cls, stop: str | list[str] | None) -> str | list[str] | None:
        if stop == "" or (isinstance(stop, list) and "" in stop):
            raise ValueError("stop sequences must not be empty")
        return stop

    @model_validator(mode="after")
    def _check_stop(self) -> _Sampling:
        if len(self.stop_list()) > 4:
            raise ValueError("stop takes at most 4 sequences")
        if self.stream_options is not None and not self.stream:
            raise ValueError("stream_options is only allowed when stream is true")
        return self

    @property
    def include_usage(self) -> bool:
        """Whether a streamed response ends with a usage chunk."""
        return bool(self.stream_options and self.stream_options.include_usage)


class ChatCompletionRequest(_Sampling):
    """Body of POST /v1/chat/completions."""

    model: str = ""
    messages: list[ChatMessage] = Field(min_length=1)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    response_format: ResponseFormat | None = None
    tools: list[Tool] | None = None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: bool | None = None

    @model_validator(mode="after")
    def _check_tools(self) -> ChatCompletionRequest:
        if isinstance(self.tool_choice, NamedToolChoice):
            names = {t.function.name for t in self.tools or []}
            if self.tool_choice.function.name not in names:
                raise ValueError(
                    f"tool_choice names '{self.tool_choice.function.name}', "
                    "which is not among tools"
                )
        elif self.tool_choice == "required" and not self.tools:
            raise ValueError("tool_choice 'required' needs tools")
        return self

    @property
    def token_limit(self) -> int | None:
        """The completion-token limit, whichever of the two names the client used."""
        return self.max_completion_tokens or self.max_tokens


class CompletionRequest(_Sampling):
    """Body of POST /v1/completions."""

    model: str = ""
    prompt: str | list[str]
    max_tokens: int | None = Field(default=16, ge=1)
    echo: bool = False
    suffix: str | None = None

    @field_validator("prompt")
    @classmethod
    def _prompt_not_empty(cls, prompt: str | list[str]) -> str | list[str]:
        # llama.cpp cannot start from nothing; OpenAI's own empty-prompt default is a token.
        if prompt == "" or prompt == []:
            raise ValueError("prompt must not be empty")
        if isinstance(prompt, list) and "" in prompt:
            raise ValueError("prompt must not hold empty strings")
        return prompt

    def prompts(self) -> list[str]:
        """The prompt as a list."""
        return [self.prompt] if isinstance(self.prompt, str) else list(self.prompt)


class EmbeddingRequest(_Strict):
    """Body of POST /v1/embeddings."""

    model: str = ""
    input: str | list[str] | list[int] | list[list[int]]
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(default=None, ge=1)
    user: str | None = None

    def texts(self) -> list[str]:
        """The inputs as strings; token arrays are refused by backends that need text."""
        if isinstance(self.input, str):
            return [self.input]
        if all(isinstance(i, str) for i in self.input):
            return [str(i) for i in self.input]
        raise InvalidRequestError(
            "this deployment takes text input, not token arrays", param="input"
        )


@dataclass(frozen=True)
class EmbeddingResult:
    """Vectors computed by a backend (one float32 row per input), before wire encoding."""

    vectors: npt.NDArray[np.float32]
    prompt_tokens: int
    model: str
