"""Request bodies of /v1/evals in OpenAI's shape (field names as the `openai` SDK sends
them), plus Tandem's own graders. Validation errors are 400s naming the field."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tandem.wire import checked_schema

Name = Annotated[str, Field(min_length=1, max_length=256)]
Text = Annotated[str, Field(max_length=64 * 1024)]
Metadata = Annotated[dict[str, Annotated[str, Field(max_length=512)]], Field(max_length=16)]
Role = Literal["user", "assistant", "system", "developer"]
MAX_SCHEMA_CHARS = 64 * 1024


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _schema(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None and len(repr(value)) > MAX_SCHEMA_CHARS:
        raise ValueError(f"schemas are at most {MAX_SCHEMA_CHARS} characters")
    return checked_schema(value)


# --- messages ----------------------------------------------------------------------------


class InputText(_Body):
    """Text given to the model."""

    type: Literal["input_text"]
    text: Text


class OutputText(_Body):
    """Text the model wrote (in a template, an earlier assistant turn)."""

    type: Literal["output_text"]
    text: Text


Part = Annotated[InputText | OutputText, Field(discriminator="type")]


class EvalMessage(_Body):
    """A message of a template; its content may hold `{{item.*}}` / `{{sample.*}}`."""

    role: Role
    content: Text | Part | Annotated[list[Part], Field(min_length=1, max_length=32)]
    type: Literal["message"] | None = None

    def text(self) -> str:
        """The content as one string (parts joined)."""
        if isinstance(self.content, str):
            return self.content
        parts = self.content if isinstance(self.content, list) else [self.content]
        return "".join(p.text for p in parts)


Messages = Annotated[list[EvalMessage], Field(min_length=1, max_length=32)]


# --- data source config -----------------------------------------------------------------


class CustomDataSourceConfig(_Body):
    """`custom`: the JSON schema of each item; `include_sample_schema` when runs sample."""

    type: Literal["custom"]
    item_schema: dict[str, Any]
    include_sample_schema: bool = False

    @field_validator("item_schema")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return _schema(value)


# --- graders ----------------------------------------------------------------------------


class StringCheck(_Body):
    """Compare two rendered strings: eq, ne, like (contains), ilike (contains, any case)."""

    type: Literal["string_check"]
    name: Name
    input: Text
    reference: Text
    operation: Literal["eq", "ne", "like", "ilike"]


SimilarityMetric = Literal[
    "cosine",
    "fuzzy_match",
    "bleu",
    "gleu",
    "meteor",
    "rouge_1",
    "rouge_2",
    "rouge_3",
    "rouge_4",
    "rouge_5",
    "rouge_l",
]


class TextSimilarity(_Body):
    """A similarity score in [0, 1] against a reference; passes at `pass_threshold`."""

    type: Literal["text_similarity"]
    name: Name
    input: Text
    reference: Text
    evaluation_metric: SimilarityMetric
    pass_threshold: float = Field(ge=0, le=1)


class JudgeSampling(_Body):
    """Sampling of a judge model."""

    max_completions_tokens: int | None = Field(default=None, ge=1, le=4096)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = None
    reasoning_effort: None = None


class ScoreModel(_Body):
    """A judge deployment gives a number in `range`; passes at `pass_threshold`."""

    type: Literal["score_model"]
    name: Name
    model: Annotated[str, Field(min_length=1, max_length=64)]
    input: Messages
    range: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    sampling_params: JudgeSampling | None = None
    pass_threshold: float | None = None


class LabelModel(_Body):
    """A judge deployment picks one of `labels`; passes when it is a passing label."""

    type: Literal["label_model"]
    name: Name
    model: Annotated[str, Field(min_length=1, max_length=64)]
    input: Messages
    labels: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=128)]],
        Field(min_length=1, max_length=64),
    ]
    passing_labels: Annotated[list[str], Field(min_length=1, max_length=64)]


class JSONSchemaCheck(_Body):
    """Tandem: the input parses as JSON (and matches `schema` when given)."""

    type: Literal["json_schema"]
    name: Name
    input: Text = "{{sample.output_text}}"
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")

    @field_validator("schema_")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return _schema(value)


class FunctionSpec(_Body):
    """A function the model may call, with the JSON schema of its arguments."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    parameters: dict[str, Any] | None = None
    description: str | None = None
    strict: bool | None = None

    @field_validator("parameters")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return _schema(value)


class ToolSpec(_Body):
    """A function tool in chat completions' shape."""

    type: Literal["function"]
    function: FunctionSpec


class ToolCallCheck(_Body):
    """Tandem: the sample's tool calls name known tools with arguments valid for them."""

    type: Literal["tool_call"]
    name: Name
    tools: Annotated[list[ToolSpec], Field(min_length=1, max_length=128)] | None = None
    function_name: Text | None = None
    require_call: bool = True


class LatencyCheck(_Body):
    """Tandem: the sample's model call took at most `max_ms`."""

    type: Literal["latency"]
    name: Name
    max_ms: float = Field(gt=0)


class CostCheck(_Body):
    """Tandem: the sample's model call cost at most `max_usd` (the deployment's prices)."""

    type: Literal["cost"]
    name: Name
    max_usd: float = Field(ge=0)


class Groundedness(_Body):
    """Tandem: the share of the answer's sentences that the passages support."""

    type: Literal["groundedness"]
    name: Name
    input: Text = "{{sample.output_text}}"
    passages: Text
    pass_threshold: float = Field(default=0.8, ge=0, le=1)


HarmCategory = Literal["hate", "sexual", "violence", "self_harm"]


class ContentSafety(_Body):
    """Tandem: the platform's safety classifier finds no harm above `max_severity`."""

    type: Literal["content_safety"]
    name: Name
    input: Text = "{{sample.output_text}}"
    max_severity: Literal["safe", "low", "medium"] = "safe"
    categories: Annotated[list[HarmCategory], Field(min_length=1, max_length=4)] | None = None


class CodeGrader(BaseModel):
    """`python` and `multi` graders, accepted only to be refused by name (they run code)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["python", "multi", "endpoint"]
    name: str = ""


Criterion = Annotated[
    StringCheck
    | TextSimilarity
    | ScoreModel
    | LabelModel
    | JSONSchemaCheck
    | ToolCallCheck
    | LatencyCheck
    | CostCheck
    | Groundedness
    | ContentSafety
    | CodeGrader,
    Field(discriminator="type"),
]


class EvalCreate(_Body):
    """Body of POST /v1/evals."""

    data_source_config: CustomDataSourceConfig
    testing_criteria: Annotated[list[Criterion], Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(max_length=256)] | None = None
    metadata: Metadata | None = None


class EvalUpdate(_Body):
    """Body of POST /v1/evals/{eval_id}."""

    name: Annotated[str, Field(max_length=256)] | None = None
    metadata: Metadata | None = None


# --- run data sources -------------------------------------------------------------------


class Row(_Body):
    """One row of inline content: the item, and a sample when the row brings its own."""

    item: dict[str, Any]
    sample: dict[str, Any] | None = None


class FileContent(_Body):
    """Rows inline in the request."""

    type: Literal["file_content"]
    content: Annotated[list[Row], Field(max_length=100_000)]


class FileID(_Body):
    """Rows in a JSONL file of the Files API."""

    type: Literal["file_id"]
    id: Annotated[str, Field(min_length=1, max_length=64)]


class StoredSource(BaseModel):
    """Sources read from stored completions or responses (refused by name)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["stored_completions", "responses"]


Source = Annotated[FileContent | FileID | StoredSource, Field(discriminator="type")]


class TemplateMessages(_Body):
    """Messages built from each item."""

    type: Literal["template"]
    template: Messages


class ItemReference(_Body):
    """Messages read from a field of each item (`item.messages`)."""

    type: Literal["item_reference"]
    item_reference: Annotated[str, Field(min_length=1, max_length=256)]


InputMessages = Annotated[TemplateMessages | ItemReference, Field(discriminator="type")]


class CompletionsSampling(_Body):
    """Sampling of a `completions` run (chat completions' parameters)."""

    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = None
    response_format: dict[str, Any] | None = None
    tools: Annotated[list[dict[str, Any]], Field(max_length=128)] | None = None
    reasoning_effort: None = None


class ResponsesSampling(_Body):
    """Sampling of a `responses` run (the Responses API's parameters)."""

    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = None
    text: dict[str, Any] | None = None
    tools: Annotated[list[dict[str, Any]], Field(max_length=128)] | None = None
    reasoning_effort: None = None


class JSONLSource(_Body):
    """Items (with their samples, if any) graded as they are."""

    type: Literal["jsonl"]
    source: Source


class CompletionsSource(_Body):
    """Items whose samples come from chat completions of `model`."""

    type: Literal["completions"]
    source: Source
    input_messages: InputMessages | None = None
    model: Annotated[str, Field(max_length=64)] | None = None
    sampling_params: CompletionsSampling | None = None


class ResponsesSource(_Body):
    """Items whose samples come from the Responses API on `model`."""

    type: Literal["responses"]
    source: Source
    input_messages: InputMessages | None = None
    model: Annotated[str, Field(max_length=64)] | None = None
    sampling_params: ResponsesSampling | None = None


DataSource = Annotated[
    JSONLSource | CompletionsSource | ResponsesSource, Field(discriminator="type")
]


class RunCreate(_Body):
    """Body of POST /v1/evals/{eval_id}/runs."""

    data_source: DataSource
    name: Annotated[str, Field(max_length=256)] | None = None
    metadata: Metadata | None = None
