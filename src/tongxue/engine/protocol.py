"""The engine's typed interface: OpenAI-shaped chat requests in, typed events out."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Role = Literal["system", "user", "assistant", "tool"]


class FunctionCall(BaseModel):
    name: str
    arguments: str = Field(description="JSON text of the arguments, as OpenAI sends it.")


class MessageToolCall(BaseModel):
    """A tool call inside an assistant message of the conversation history."""

    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Role
    content: str | None = None
    name: str | None = None
    tool_calls: list[MessageToolCall] | None = None
    tool_call_id: str | None = None

    def template_dict(self) -> dict[str, Any]:
        """The dict a Hugging Face chat template expects (arguments as objects, not text)."""
        data: dict[str, Any] = {"role": self.role, "content": self.content or ""}
        if self.name:
            data["name"] = self.name
        if self.tool_calls:
            calls = []
            for call in self.tool_calls:
                try:
                    arguments: Any = json.loads(call.function.arguments or "{}")
                except json.JSONDecodeError:
                    arguments = call.function.arguments
                calls.append(
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {"name": call.function.name, "arguments": arguments},
                    }
                )
            data["tool_calls"] = calls
        if self.tool_call_id:
            data["tool_call_id"] = self.tool_call_id
        return data


class FunctionDefinition(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-zA-Z0-9_.-]+$")
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class ToolDefinition(BaseModel):
    type: Literal["function"] = "function"
    function: FunctionDefinition


class NamedFunction(BaseModel):
    name: str


class NamedToolChoice(BaseModel):
    type: Literal["function"] = "function"
    function: NamedFunction


ToolChoice = Literal["none", "auto", "required"] | NamedToolChoice


class JsonSchemaSpec(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str = "response"
    description: str | None = None
    json_schema: dict[str, Any] = Field(alias="schema")
    strict: bool | None = None


class ResponseFormat(BaseModel):
    type: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: JsonSchemaSpec | None = None

    @model_validator(mode="after")
    def _schema_given(self) -> ResponseFormat:
        if self.type == "json_schema" and self.json_schema is None:
            raise ValueError("response_format type 'json_schema' needs a 'json_schema' object")
        return self


# Levels for `ChatRequest.priority` (any int works). A request someone waits on with a
# short deadline goes high; everything else stays normal.
PRIORITY_NORMAL = 0
PRIORITY_HIGH = 10
# Work nobody waits on (warming prompt prefixes after start-up).
PRIORITY_BACKGROUND = -10


class ChatRequest(BaseModel):
    """One chat completion, in the OpenAI shape (sampling defaults are Qwen2.5's)."""

    messages: list[ChatMessage] = Field(min_length=1)
    tools: list[ToolDefinition] | None = None
    tool_choice: ToolChoice = "auto"
    response_format: ResponseFormat | None = None
    max_tokens: int = Field(512, ge=1, le=32768)
    stop: list[str] = Field(default_factory=list, max_length=8)
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(0.8, gt=0.0, le=1.0)
    top_k: int = Field(20, ge=0)
    min_p: float = Field(0.0, ge=0.0, le=1.0)
    repeat_penalty: float = Field(1.05, ge=0.0)
    presence_penalty: float = Field(0.0, ge=-2.0, le=2.0)
    frequency_penalty: float = Field(0.0, ge=-2.0, le=2.0)
    seed: int | None = None
    priority: int = Field(
        PRIORITY_NORMAL,
        exclude=True,
        description="Place in the engine's queue: larger is served first, arrival order "
        "within a level. Scheduling only: never sent to a model server.",
    )
    time_limit_s: float | None = Field(
        None,
        gt=0,
        exclude=True,
        description="Most seconds the generation may take once it has the model; the wait "
        "in the queue does not count, so other callers' work never uses it up.",
    )

    @model_validator(mode="after")
    def _tool_choice_names_a_tool(self) -> ChatRequest:
        if isinstance(self.tool_choice, NamedToolChoice):
            names = {tool.function.name for tool in self.tools or []}
            if self.tool_choice.function.name not in names:
                raise ValueError(
                    f"tool_choice names '{self.tool_choice.function.name}', "
                    "which is not among the tools"
                )
        if self.tool_choice == "required" and not self.tools:
            raise ValueError("tool_choice 'required' needs at least one tool")
        return self

    @property
    def active_tools(self) -> list[ToolDefinition]:
        """The tools the model may call for this request ('none' hides them all)."""
        if not self.tools or self.tool_choice == "none":
            return []
        if isinstance(self.tool_choice, NamedToolChoice):
            return [t for t in self.tools if t.function.name == self.tool_choice.function.name]
        return list(self.tools)


class ToolCall(BaseModel):
    """A tool call the model made, parsed and checked against the tool's schema."""

    id: str
    name: str
    arguments: str = Field(description="The arguments as JSON text.")
    parsed_arguments: dict[str, Any] | None = None
    error: str | None = Field(None, description="Why the call is invalid; None when valid.")

    @property
    def valid(self) -> bool:
        return self.error is None


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_prompt_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Timings(BaseModel):
    queued_ms: float = 0.0
    time_to_first_token_ms: float | None = None
    decode_ms: float = 0.0
    total_ms: float = 0.0
    decode_tokens_per_second: float | None = None


FinishReason = Literal["stop", "length", "tool_calls", "cancelled", "error"]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)


class TextDelta(BaseModel):
    type: Literal["text"] = "text"
    text: str


class ToolCallDelta(BaseModel):
    """A whole tool call, emitted as soon as its closing marker is seen."""

    type: Literal["tool_call"] = "tool_call"
    index: int
    call: ToolCall


class ChatResult(BaseModel):
    type: Literal["done"] = "done"
    model: str
    message: AssistantMessage
    finish_reason: FinishReason
    usage: Usage
    timings: Timings


ChatEvent = Annotated[TextDelta | ToolCallDelta | ChatResult, Field(discriminator="type")]
