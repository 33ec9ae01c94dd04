"""Request models of the Responses API (the JSON an OpenAI SDK sends to /v1/responses).

Items and tools are checked one by one before pydantic sees them, so an unknown item or
tool type is a 400 naming exactly where it is (`input[2].type`, `tools[0].type`) rather
than a list of every union member that did not match.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from tandem.errors import InvalidRequestError, UnsupportedParameterError
from tandem.wire import JSONObject, checked_schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InputText(_Strict):
    """Text in an input message."""

    type: Literal["input_text"]
    text: str


class InputImage(_Strict):
    """An image in an input message, by URL (only upstreams with vision take it)."""

    type: Literal["input_image"]
    image_url: str | None = None
    file_id: str | None = None
    detail: Literal["auto", "low", "high"] = "auto"


class InputFile(_Strict):
    """A stored text file (by `file_id`) or inline text (`file_data`) in an input message."""

    type: Literal["input_file"]
    file_id: str | None = None
    file_data: str | None = None
    filename: str | None = None


class OutputText(_Strict):
    """Text the assistant wrote (in an assistant message replayed as input)."""

    type: Literal["output_text"]
    text: str
    annotations: list[JSONObject] = Field(default_factory=list)
    logprobs: list[JSONObject] | None = None


class Refusal(_Strict):
    """A refusal the assistant wrote."""

    type: Literal["refusal"]
    refusal: str


ContentPart = Annotated[
    InputText | InputImage | InputFile | OutputText | Refusal, Field(discriminator="type")
]


class MessageItem(_Strict):
    """A message: from the user, system or developer, or an earlier assistant turn."""

    type: Literal["message"] = "message"
    role: Literal["user", "assistant", "system", "developer"]
    content: str | list[ContentPart]
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None


class FunctionCallItem(_Strict):
    """A function call the model made earlier."""

    type: Literal["function_call"]
    call_id: str = Field(min_length=1)
    name: str
    arguments: str
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None


class FunctionCallOutputItem(_Strict):
    """The result of a function call, sent back by the client."""

    type: Literal["function_call_output"]
    call_id: str = Field(min_length=1)
    output: str | list[InputText]
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None


class FileSearchCallItem(_Strict):
    """An earlier file search (replayed as input, it is context only)."""

    type: Literal["file_search_call"]
    id: str
    queries: list[str] = Field(default_factory=list)
    status: str = "completed"
    results: list[JSONObject] | None = None


InputItem = Annotated[
    MessageItem | FunctionCallItem | FunctionCallOutputItem | FileSearchCallItem,
    Field(discriminator="type"),
]
ITEM_TYPES = ("message", "function_call", "function_call_output", "file_search_call")
_ITEM = TypeAdapter(InputItem)


class FunctionTool(_Strict):
    """A function the model may call (Responses' flat shape)."""

    type: Literal["function"]
    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str | None = None
    parameters: JSONObject | None = None
    strict: bool | None = None

    _check_parameters = field_validator("parameters")(checked_schema)


class FileSearchTool(_Strict):
    """Search over vector stores before answering."""

    type: Literal["file_search"]
    vector_store_ids: list[str] = Field(min_length=1, max_length=10)
    max_num_results: int | None = Field(default=None, ge=1, le=50)
    filters: JSONObject | None = None
    ranking_options: JSONObject | None = None


Tool = Annotated[FunctionTool | FileSearchTool, Field(discriminator="type")]
TOOL_TYPES = ("function", "file_search")
_TOOL = TypeAdapter(Tool)


class NamedFunctionChoice(_Strict):
    """`tool_choice` forcing one function."""

    type: Literal["function"]
    name: str


class HostedToolChoice(_Strict):
    """`tool_choice` forcing a hosted tool."""

    type: Literal["file_search"]


class TextFormat(_Strict):
    """`text.format`: free text, any JSON object, or JSON matching a schema."""

    type: Literal["text", "json_object", "json_schema"]
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    schema_: JSONObject | None = Field(default=None, alias="schema")
    description: str | None = None
    strict: bool | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    _check_schema = field_validator("schema_")(checked_schema)


class TextConfig(_Strict):
    """`text`: the output's format."""

    format: TextFormat = Field(default_factory=lambda: TextFormat(type="text"))


class StreamOptions(_Strict):
    """Options of a streamed response."""

    include_obfuscation: bool | None = None


class ConversationRef(_Strict):
    """A conversation named by object."""

    id: str


IncludeOption = Literal["file_search_call.results", "message.output_text.logprobs"]


class ResponseRequest(_Strict):
    """Body of POST /v1/responses."""

    model: str = ""
    input: str | list[InputItem] = Field(default="")
    instructions: str | None = None
    max_output_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    text: TextConfig | None = None
    tools: list[Tool] | None = Field(default=None, max_length=128)
    tool_choice: Literal["none", "auto", "required"] | NamedFunctionChoice | HostedToolChoice = (
        "auto"
    )
    parallel_tool_calls: bool = True
    previous_response_id: str | None = Field(default=None, max_length=64)
    conversation: str | ConversationRef | None = None
    store: bool = True
    include: list[IncludeOption] | None = None
    background: bool = False
    stream: bool = False
    stream_options: StreamOptions | None = None
    metadata: dict[str, str] | None = Field(default=None, max_length=16)
    user: str | None = None
    safety_identifier: str | None = None
    truncation: Literal["disabled", "auto"] = "disabled"

    @field_validator("input", mode="before")
    @classmethod
    def _items(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_check_item(i, item) for i, item in enumerate(value)]
        return value

    @field_validator("tools", mode="before")
    @classmethod
    def _tools(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_check_tool(i, tool) for i, tool in enumerate(value)]
        return value

    @field_validator("metadata")
    @classmethod
    def _metadata(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for key, text in (value or {}).items():
            if len(key) > 64 or len(text) > 512:
                raise ValueError("metadata keys are at most 64 characters, values 512")
        return value

    def check(self) -> None:
        """Rules across fields (a 400 naming the field)."""
        names = {t.name for t in self.tools or [] if isinstance(t, FunctionTool)}
        choice = self.tool_choice
        if isinstance(choice, NamedFunctionChoice) and choice.name not in names:
            raise InvalidRequestError(
                f"tool_choice names the function '{choice.name}', which is not among tools",
                param="tool_choice.name",
            )
        if isinstance(choice, HostedToolChoice) and not self.file_search:
            raise InvalidRequestError(
                "tool_choice 'file_search' needs a file_search tool", param="tool_choice"
            )
        if choice == "required" and not self.tools:
            raise InvalidRequestError("tool_choice 'required' needs tools", param="tool_choice")
        if self.input == "" or self.input == []:
            raise InvalidRequestError("input must not be empty", param="input")
        if self.background and not self.store:
            raise InvalidRequestError("background responses must be stored", param="store")
        if self.background and self.stream:
            raise UnsupportedParameterError(
                "background responses cannot be streamed here; poll GET /v1/responses/{id}",
                param="stream",
            )
        if self.previous_response_id and self.conversation:
            raise InvalidRequestError(
                "previous_response_id and conversation cannot be used together",
                param="conversation",
            )
        if self.stream_options is not None and not self.stream:
            raise InvalidRequestError(
                "stream_options is only allowed when stream is true", param="stream_options"
            )
        if "message.output_text.logprobs" in (self.include or []):
            raise UnsupportedParameterError(
                "logprobs are not returned by Tandem's Responses API", param="include"
            )
        fmt = self.text.format if self.text else None
        if fmt is not None and fmt.type == "json_schema" and (not fmt.name or fmt.schema_ is None):
            raise InvalidRequestError(
                "text.format of type 'json_schema' needs a name and a schema", param="text.format"
            )

    @property
    def file_search(self) -> FileSearchTool | None:
        """The file_search tool, if any."""
        found = [t for t in self.tools or [] if isinstance(t, FileSearchTool)]
        return found[0] if found else None

    @property
    def function_tools(self) -> list[FunctionTool]:
        """The function tools."""
        return [t for t in self.tools or [] if isinstance(t, FunctionTool)]

    @property
    def conversation_id(self) -> str | None:
        """The conversation's id, however it was named."""
        if isinstance(self.conversation, ConversationRef):
            return self.conversation.id
        return self.conversation


def _check_item(index: int, item: Any) -> Any:
    where = f"input[{index}]"
    if not isinstance(item, dict):
        raise InvalidRequestError(f"{where} must be an object", param=where)
    kind = item.get("type", "message" if "role" in item else None)
    if kind not in ITEM_TYPES:
        shown = "missing" if kind is None else f"'{str(kind)[:64]}'"
        raise InvalidRequestError(
            f"{where}.type is {shown}: input items here are {', '.join(ITEM_TYPES)}",
            param=f"{where}.type",
            code="invalid_value" if kind is not None else None,
        )
    try:
        return _ITEM.validate_python({**item, "type": kind})
    except ValidationError as exc:
        raise _nested_error(where, exc) from exc


def _check_tool(index: int, tool: Any) -> Any:
    where = f"tools[{index}]"
    if not isinstance(tool, dict):
        raise InvalidRequestError(f"{where} must be an object", param=where)
    kind = tool.get("type")
    if kind not in TOOL_TYPES:
        raise UnsupportedParameterError(
            f"{where}.type '{str(kind)[:64]}' is not supported: tools here are "
            f"{', '.join(TOOL_TYPES)}",
            param=f"{where}.type",
        )
    try:
        return _TOOL.validate_python(tool)
    except ValidationError as exc:
        raise _nested_error(where, exc) from exc


def _nested_error(where: str, exc: ValidationError) -> InvalidRequestError:
    # The most specific error names the real field; union branches name themselves in the
    # location (`str`, `list[...]`, tags), which is left out of the path.
    first = max(exc.errors(), key=lambda e: len(e.get("loc", ())))
    parts = [str(p) for p in first.get("loc", ()) if not _branch_label(p)]
    if first.get("type") in ("union_tag_invalid", "union_tag_not_found"):
        parts.append("type")
    path = where + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in parts)
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    if first.get("type") == "extra_forbidden":
        return UnsupportedParameterError(f"Unrecognized argument: {path}", param=path)
    return InvalidRequestError(f"{message} (at {path})", param=path)


def _branch_label(part: object) -> bool:
    text = str(part)
    return text in _LABELS or "[" in text


_LABELS = frozenset(
    {"str", "int", "float", "bool", *ITEM_TYPES, *TOOL_TYPES}
    | {"input_text", "input_image", "input_file", "output_text", "refusal"}
)
