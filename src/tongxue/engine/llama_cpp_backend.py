"""The default backend: a GGUF model in llama-cpp-python, on the CPU or an edge GPU."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tongxue.engine.base import (
    GenerationPlan,
    GenerationStats,
    LocalTextEngine,
    dumps_schema,
)
from tongxue.engine.errors import ContextOverflowError, EngineError
from tongxue.engine.grammar import UnsupportedSchemaError, tool_call_grammar
from tongxue.engine.protocol import ChatRequest, ToolDefinition
from tongxue.engine.template import ChatTemplate

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp.llama_grammar import LlamaGrammar

logger = logging.getLogger(__name__)


def common_prefix_length(cached: Iterable[Any], tokens: Iterable[int]) -> int:
    length = 0
    for a, b in zip(cached, tokens, strict=False):
        if a != b:
            break
        length += 1
    return length


class LlamaCppEngine(LocalTextEngine):
    backend = "llama-cpp"

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_batch: int = 512,
        n_gpu_layers: int = 0,
        seed: int = 42,
    ) -> None:
        from llama_cpp import Llama

        if not model_path.is_file():
            raise EngineError(f"model file not found: {model_path}")
        try:
            self.llm: Llama = Llama(
                model_path=str(model_path),
                n_ctx=n_ctx,
                # llama-cpp-python defaults to half the cores; a car computer gives us all.
                n_threads=n_threads or os.cpu_count() or 1,
                n_threads_batch=n_threads or os.cpu_count() or 1,
                n_batch=n_batch,
                n_gpu_layers=n_gpu_layers,
                seed=seed,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise EngineError(f"llama.cpp could not load {model_path}: {exc}") from exc
        source = self.llm.metadata.get("tokenizer.chat_template")
        if not source:
            raise EngineError(f"{model_path.name} carries no chat template")
        template = ChatTemplate(
            source,
            bos_token=self._token_text(self.llm.token_bos()),
            eos_token=self._token_text(self.llm.token_eos()),
        )
        super().__init__(template, model_name or model_path.stem)
        self.n_ctx = n_ctx

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self.llm.detokenize([token], special=True).decode("utf-8", errors="ignore")

    def tokenize(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    @functools.lru_cache(maxsize=32)  # noqa: B019 - one engine lives as long as the process
    def _grammar(self, schema_json: str | None) -> LlamaGrammar:
        from llama_cpp.llama_grammar import JSON_GBNF, LlamaGrammar

        if schema_json is None:
            return LlamaGrammar.from_string(JSON_GBNF, verbose=False)
        try:
            return LlamaGrammar.from_json_schema(schema_json, verbose=False)
        except Exception as exc:  # the converter raises bare exceptions on odd schemas
            raise EngineError(f"cannot turn the JSON schema into a grammar: {exc}") from exc

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one engine lives as long as the process
    def _tool_grammar(self, text: str) -> LlamaGrammar | None:
        """A tool-call grammar, or None when llama.cpp cannot parse it (never expected)."""
        import llama_cpp
        from llama_cpp.llama_grammar import LlamaGrammar

        # llama-cpp-python hands a grammar that fails to parse to the sampler chain as a null
        # sampler and crashes; parsing once here turns that into a logged fallback.
        sampler = llama_cpp.llama_sampler_init_grammar(
            self.llm._model.vocab, text.encode("utf-8"), b"root"
        )
        if not sampler:
            return None
        llama_cpp.llama_sampler_free(sampler)
        return LlamaGrammar.from_string(text, verbose=False)

    def tool_grammar(self, tools: list[ToolDefinition]) -> LlamaGrammar | None:
        """The grammar of one valid call of `tools`, or None to fall back on the schema."""
        try:
            text = tool_call_grammar(tools)
        except UnsupportedSchemaError as exc:
            logger.warning("tool grammar unavailable, using the JSON-schema converter: %s", exc)
            return None
        grammar = self._tool_grammar(text)
        if grammar is None:
            logger.warning("llama.cpp rejected the tool grammar:\n%s", text)
        return grammar

    def grammar_for(
        self, plan: GenerationPlan, request: ChatRequest | None = None
    ) -> LlamaGrammar | None:
        # A forced call: the prompt already ends with the opening tag (see `plan`).
        if plan.parser_prefix and request is not None and request.active_tools:
            grammar = self.tool_grammar(request.active_tools)
            if grammar is not None:
                return grammar
        if plan.json_schema is not None:
            return self._grammar(dumps_schema(plan.json_schema))
        if plan.json_any:
            return self._grammar(None)
        return None

    def _generate(
        self,
        plan: GenerationPlan,
        request: ChatRequest,
        cancel: threading.Event,
        emit: Callable[[str], None],
    ) -> GenerationStats:
        from llama_cpp import StoppingCriteriaList

        tokens = self.tokenize(plan.prompt)
        room = self.n_ctx - len(tokens)
        if room < 1:
            raise ContextOverflowError(
                f"the prompt is {len(tokens)} tokens; the context window is {self.n_ctx}"
            )
        stats = GenerationStats(
            prompt_tokens=len(tokens),
            cached_prompt_tokens=common_prefix_length(
                self.llm.input_ids[: self.llm.n_tokens], tokens
            ),
        )
        kwargs: dict[str, Any] = {
            "max_tokens": min(plan.max_tokens, room),
            "temperature": request.temperature,
            "top_p": request.top_p,
            "top_k": request.top_k,
            "min_p": request.min_p,
            "repeat_penalty": request.repeat_penalty,
            "presence_penalty": request.presence_penalty,
            "frequency_penalty": request.frequency_penalty,
            "stop": plan.stop,
            "grammar": self.grammar_for(plan, request),
            "seed": request.seed,
        }
        # Checked at every sampled token, also while llama-cpp-python holds text back
        # (stop-string look-ahead), so a caller that leaves frees the model at once.
        kwargs["stopping_criteria"] = StoppingCriteriaList([lambda _ids, _logits: cancel.is_set()])
        chunks = self.llm.create_completion(prompt=tokens, stream=True, **kwargs)
        finish: str | None = None
        try:
            for chunk in chunks:
                if cancel.is_set():
                    stats.finish_reason = "cancelled"
                    break
                choice = cast(dict[str, Any], chunk)["choices"][0]
                if choice["text"]:
                    emit(choice["text"])
                finish = choice.get("finish_reason") or finish
        except ValueError as exc:
            raise EngineError(f"llama.cpp failed: {exc}") from exc
        finally:
            chunks.close()  # type: ignore[union-attr]
        stats.completion_tokens = max(0, self.llm.n_tokens - len(tokens)) + (
            1 if finish == "stop" else 0
        )
        if cancel.is_set():
            stats.finish_reason = "cancelled"
        if stats.finish_reason != "cancelled":
            stats.finish_reason = "length" if finish == "length" else "stop"
        return stats
