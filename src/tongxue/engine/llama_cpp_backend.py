"""The default backend: a GGUF model in llama-cpp-python, on the CPU or an edge GPU."""

from __future__ import annotations

import codecs
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
    WarmResult,
    dumps_schema,
)
from tongxue.engine.errors import ContextOverflowError, EngineError
from tongxue.engine.grammar import (
    UnsupportedSchemaError,
    tool_arguments_grammar,
    tool_call_grammar,
)
from tongxue.engine.grammar_sampling import GrammarGreedySampler
from tongxue.engine.llama_states import restore, snapshot
from tongxue.engine.prefix_cache import PrefixCache, PrefixCacheReport
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
        prefix_cache: PrefixCache | None = None,
        prefill_chunk: int = 64,
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
        self.prefix_cache = prefix_cache
        # A caller who leaves is noticed between chunks, so this bounds the wait for a
        # cancelled or pre-empted prefill.
        self.prefill_chunk = max(1, prefill_chunk)

    def prefix_report(self) -> PrefixCacheReport | None:
        return self.prefix_cache.report() if self.prefix_cache is not None else None

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

    def can_write_call_head(self, tool: ToolDefinition) -> bool:
        return self.tool_grammar([tool], head_written=True) is not None

    def tool_grammar(
        self, tools: list[ToolDefinition], *, head_written: bool = False
    ) -> LlamaGrammar | None:
        """The grammar of one valid call of `tools`, or None to fall back on the schema;
        with `head_written`, of the arguments of the one tool whose call head is written."""
        try:
            text = tool_arguments_grammar(tools[0]) if head_written else tool_call_grammar(tools)
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
            grammar = self.tool_grammar(request.active_tools, head_written=plan.call_head_written)
            if grammar is not None:
                return grammar
        if plan.json_schema is not None:
            return self._grammar(dumps_schema(plan.json_schema))
        if plan.json_any:
            return self._grammar(None)
        return None

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one engine lives as long as the process
    def _stable_tokens(self, text: str) -> tuple[int, ...]:
        return tuple(self.tokenize(text))

    def _boundary(self, stable_prefix: str, tokens: list[int]) -> int:
        """How many of `tokens` are the stable prefix (0 when it does not tokenize apart)."""
        if not stable_prefix:
            return 0
        stable = self._stable_tokens(stable_prefix)
        if len(stable) >= len(tokens) or tuple(tokens[: len(stable)]) != stable:
            return 0
        return len(stable)

    def _prefill(
        self,
        tokens: list[int],
        boundary: int,
        stop_at: int,
        should_stop: Callable[[], bool],
        *,
        label: str = "",
    ) -> int | None:
        """Evaluate `tokens[:stop_at]`, reusing what the model holds or a saved state of the
        stable prefix (`tokens[:boundary]`), and saving that state when it is new.

        Returns how many tokens were reused, or None when `should_stop` said to stop (checked
        between chunks). The prefill always splits at the boundary, so the tokens after it
        are computed the same way whether the prefix was restored or prefilled.
        """
        llm = self.llm
        kept = common_prefix_length(llm.input_ids[: llm.n_tokens], tokens)
        cache = self.prefix_cache
        if cache is not None and boundary > 0 and kept < boundary:
            state = cache.get(tokens[:boundary])
            if state is not None:
                if restore(llm, tokens[:boundary], state.data):
                    kept = boundary
                else:
                    logger.warning("a saved prefix state did not load; prefilling instead")
                    cache.forget(tokens[:boundary])
                    kept = 0
        llm.n_tokens = kept
        position = kept
        while position < stop_at:
            if should_stop():
                return None
            end = min(stop_at, position + self.prefill_chunk)
            if position < boundary < end:
                end = boundary
            llm.eval(tokens[position:end])
            position = end
            if cache is not None and position == boundary and tokens[:boundary] not in cache:
                cache.put(tokens[:boundary], snapshot(llm), label=label, persist=bool(label))
        return kept

    def _warm_prefix(self, text: str, label: str, should_stop: Callable[[], bool]) -> WarmResult:
        cache = self.prefix_cache
        if cache is None:
            return "unsupported"
        tokens = list(self._stable_tokens(text))
        if tokens in cache:
            return "cached"
        per_token = cache.size_bytes / max(1, sum(e.tokens for e in cache.report().entries))
        if cache.size_bytes and not cache.fits(int(per_token * len(tokens))):
            return "full"
        if self._prefill(tokens, len(tokens), len(tokens), should_stop, label=label) is None:
            return "interrupted"
        return "warmed"

    def _decode_greedy(
        self,
        tokens: list[int],
        sampler: GrammarGreedySampler,
        max_tokens: int,
        cancel: threading.Event,
        emit: Callable[[str], None],
        stats: GenerationStats,
    ) -> GenerationStats:
        """Constrained greedy decoding with the grammar checked on the best token only (see
        `grammar_sampling`); the end-of-generation tokens are the only stops."""
        import llama_cpp

        llm = self.llm
        # At least the prompt's last token is evaluated here, for the logits to sample from.
        llm.n_tokens = min(llm.n_tokens, len(tokens) - 1)
        llm.eval(tokens[llm.n_tokens :])
        text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stats.finish_reason = "length"
        for count in range(max_tokens):
            if cancel.is_set():
                stats.finish_reason = "cancelled"
                break
            token = sampler.sample()
            stats.completion_tokens = count + 1
            if llama_cpp.llama_vocab_is_eog(llm._model.vocab, token):
                stats.finish_reason = "stop"
                break
            # A character split across tokens comes out once its last byte is in.
            if piece := text.decode(llm.detokenize([token])):
                emit(piece)
            llm.eval([token])
        return stats

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
        stats = GenerationStats(prompt_tokens=len(tokens))
        # All but the last token: llama-cpp-python evaluates that one itself for the logits.
        reused = self._prefill(
            tokens, self._boundary(plan.stable_prefix, tokens), len(tokens) - 1, cancel.is_set
        )
        if reused is None:
            stats.finish_reason = "cancelled"
            return stats
        stats.cached_prompt_tokens = reused
        grammar = self.grammar_for(plan, request)
        if grammar is not None and request.temperature == 0 and not request.stop:
            sampler = GrammarGreedySampler(
                self.llm,
                grammar._grammar,
                root=grammar._root,
                repeat_penalty=request.repeat_penalty,
                frequency_penalty=request.frequency_penalty,
                presence_penalty=request.presence_penalty,
            )
            try:
                return self._decode_greedy(
                    tokens, sampler, min(plan.max_tokens, room), cancel, emit, stats
                )
            finally:
                sampler.close()
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
            "grammar": grammar,
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
