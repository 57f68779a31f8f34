"""`tongxue bench decoding`: two faster ways to decode on raw llama.cpp, against plain decoding.

Part 1, several streams in one context: the server today runs requests strictly one after
another. llama.cpp's own server instead decodes several sequences in one `llama_batch`, one
sequence id each, so one pass over the weights serves every stream. This measures that against
the one-after-another queue, on the same model, context and prompts.

Part 2, prompt-lookup decoding: llama-cpp-python's `LlamaPromptLookupDecoding` proposes the
tokens that followed the last n-gram earlier in the context and verifies them in one batch. A
tool call copies words from the request ("导航到北京南站" -> `"destination": "北京南站"`), so it
may win there and lose on free chat; this measures both against plain greedy decoding.

Everything drives llama-cpp-python directly (no engine, no queue), so the figures are what the
decoding strategy itself gives.
"""

from __future__ import annotations

import itertools
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tongxue.bench.engine import SYSTEM_PROMPT
from tongxue.engine.protocol import ChatMessage, ToolDefinition

Progress = Callable[[str], None]

DEFAULT_STREAMS = (1, 2, 4, 8)
DEFAULT_PRED_TOKENS = (2, 5)
# The rule is fixed before the run, so the numbers decide and not whoever reads them.
REQUIRED_GAIN = 1.8
GAIN_STREAMS = 4
DECISION_RULE = (
    f"batched becomes the default only if the gain at {GAIN_STREAMS} streams is ≥ {REQUIRED_GAIN}×"
)
# llama-cpp-python's default n-gram length for the lookup.
MAX_NGRAM_SIZE = 2
# One prefill/decode batch, as the engine's default `n_batch`.
N_BATCH = 512

# Part 1: different questions, so no two streams decode the same thing.
STREAM_QUESTIONS = (
    "Tell me a short story about a cat who learns to drive.",
    "讲一个关于长江的故事。",
    "Explain how a hybrid car saves fuel.",
    "给我介绍一下杭州西湖。",
    "Describe a rainy evening on a highway.",
    "为什么天空是蓝色的？",
    "Write a few lines about the sea at night.",
    "说说怎样在长途驾驶中保持清醒。",
)


@dataclass(frozen=True)
class ToolPrompt:
    request: str
    tool: str


# Part 2 (a): each request's argument is copied from its own words, which is what lookup feeds on.
TOOL_PROMPTS = (
    ToolPrompt("Navigate to Shanghai Hongqiao railway station", "navigate_to"),
    ToolPrompt("导航到北京南站", "navigate_to"),
    ToolPrompt("Play Jay Chou's 晴天", "play_media"),
    ToolPrompt("Call Zhang Wei", "call_contact"),
)
# Part 2 (b): free chat, where the answer rarely repeats the prompt.
CHAT_PROMPTS = (
    "Tell me a joke about cars.",
    "讲一个简短的笑话。",
    "What is the capital of Australia?",
    "用一句话介绍一下长城。",
)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


class ModeResult(BaseModel):
    """N requests decoded one way; every time counts from the moment all N arrived."""

    aggregate_tokens_per_second: float
    ttft_p50_ms: float
    ttft_max_ms: float
    wall_s: float


class StreamsResult(BaseModel):
    streams: int
    tokens_per_stream: int
    sequential: ModeResult
    batched: ModeResult
    gain: float
    stream0_same_tokens: bool
    # How many leading tokens of stream 0 agree batched and alone. A batch changes the order
    # of CPU float sums, so a late split (often past EOS, which is ignored) is numerics, not a bug.
    stream0_matching_tokens: int


class BatchingReport(BaseModel):
    kv_unified: bool
    results: list[StreamsResult]
    rule: str
    gain_at_rule_streams: float | None
    batched_default: bool


class LookupResult(BaseModel):
    kind: str
    num_pred_tokens: int
    prompts: int
    tokens: int
    plain_decode_tokens_per_second: float
    lookup_decode_tokens_per_second: float
    decode_speedup: float
    plain_request_ms: float
    lookup_request_ms: float
    speedup: float
    identical_outputs: int


class LookupVerdict(BaseModel):
    kind: str
    wins: bool
    best_num_pred_tokens: int
    speedup: float
    identical: bool


class LookupReport(BaseModel):
    max_ngram_size: int
    max_tokens: int
    results: list[LookupResult]
    verdicts: list[LookupVerdict]


class DecodingBenchReport(BaseModel):
    model: str
    n_threads: int
    cpu_count: int
    # The 1-minute load average when the run began: other work on the cores skews every figure.
    load_average: float
    batching: BatchingReport
    lookup: LookupReport


# ---------------------------------------------------------------------------------------------
# The pure parts: figures, decisions, tables
# ---------------------------------------------------------------------------------------------


def mode_result(first_token_s: Sequence[float], wall_s: float, tokens: int) -> ModeResult:
    """Figures for one mode from its times to first token (s), its wall time and all tokens."""
    return ModeResult(
        aggregate_tokens_per_second=tokens / wall_s,
        ttft_p50_ms=statistics.median(first_token_s) * 1000,
        ttft_max_ms=max(first_token_s) * 1000,
        wall_s=wall_s,
    )


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading items agree; the shorter one may end first."""
    pairs = zip(a, b, strict=False)
    return next((i for i, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)))


def gain(sequential: ModeResult, batched: ModeResult) -> float:
    return batched.aggregate_tokens_per_second / sequential.aggregate_tokens_per_second


def batching_decision(results: Sequence[StreamsResult]) -> tuple[float | None, bool]:
    """The gain at the rule's stream count (None when not measured) and whether it is met."""
    at = next((r.gain for r in results if r.streams == GAIN_STREAMS), None)
    return at, at is not None and at >= REQUIRED_GAIN


def batching_decision_text(report: BatchingReport) -> str:
    if report.gain_at_rule_streams is None:
        return f"{GAIN_STREAMS} streams not measured: no decision, the sequential queue stays"
    verdict = (
        "batched becomes the default"
        if report.batched_default
        else "the sequential queue stays the default"
    )
    return f"gain at {GAIN_STREAMS} streams: {report.gain_at_rule_streams:.2f}× -> {verdict}"


def lookup_verdict(kind: str, results: Sequence[LookupResult]) -> LookupVerdict:
    """Lookup wins for a kind when its best setting is faster per request and changes no output.

    Faster per request (prefill included), not just decode: llama-cpp-python computes the
    logits of every prompt token once a draft model is set, and the user waits for both.
    """
    mine = [r for r in results if r.kind == kind]
    best = max(mine, key=lambda r: r.speedup)
    identical = best.identical_outputs == best.prompts
    return LookupVerdict(
        kind=kind,
        wins=best.speedup > 1.0 and identical,
        best_num_pred_tokens=best.num_pred_tokens,
        speedup=best.speedup,
        identical=identical,
    )


def lookup_verdict_text(verdict: LookupVerdict) -> str:
    word = "wins" if verdict.wins else "loses"
    detail = (
        f"best num_pred_tokens {verdict.best_num_pred_tokens}, {verdict.speedup:.2f}× a request"
    )
    if not verdict.identical:
        detail += ", output text changed"
    return f"{verdict.kind}: lookup {word} ({detail})"


_MODE_COLUMNS = ("tok/s", "ttft p50 ms", "ttft max ms", "wall s")
_BATCHING_COLUMNS = ("streams", *_MODE_COLUMNS, *_MODE_COLUMNS, "gain", "stream 0 same tokens")
_LOOKUP_COLUMNS = (
    "kind",
    "prompts",
    "pred",
    "tokens",
    "plain tok/s",
    "lookup tok/s",
    "decode",
    "plain ms",
    "lookup ms",
    "speed-up",
    "same text",
)
# Columns whose values are wider than their titles.
_MIN_WIDTHS = {"kind": len("tool call"), "gain": len("10.00×")}


def _row(cells: Sequence[str], titles: Sequence[str]) -> str:
    """Cells under their titles, two spaces apart: the first left-aligned, the rest right."""
    widths = [max(len(title), _MIN_WIDTHS.get(title, 0)) for title in titles]
    first = cells[0].ljust(widths[0])
    rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest])


def format_batching_table(report: BatchingReport, *, model: str, n_threads: int) -> str:
    tokens = report.results[0].tokens_per_stream if report.results else 0
    side = len("  ".join(_MODE_COLUMNS))
    lines = [
        f"Part 1: N streams in one llama.cpp context vs the sequential queue "
        f"({model}, {n_threads} threads, {tokens} tokens a stream, greedy, EOS ignored, "
        f"kv_unified={report.kv_unified})",
        f"{'':7}  {' sequential ':-^{side}}  {' batched ':-^{side}}",
        _row(_BATCHING_COLUMNS, _BATCHING_COLUMNS),
    ]
    for r in report.results:
        cells = [
            str(r.streams),
            *_mode_cells(r.sequential),
            *_mode_cells(r.batched),
            f"{r.gain:.2f}×",
            f"{r.stream0_matching_tokens}/{r.tokens_per_stream}",
        ]
        lines.append(_row(cells, _BATCHING_COLUMNS))
    lines.append(f"decision rule: {report.rule}")
    lines.append(batching_decision_text(report))
    return "\n".join(lines)


def _mode_cells(mode: ModeResult) -> list[str]:
    return [
        f"{mode.aggregate_tokens_per_second:.1f}",
        f"{mode.ttft_p50_ms:.0f}",
        f"{mode.ttft_max_ms:.0f}",
        f"{mode.wall_s:.2f}",
    ]


def format_lookup_table(report: LookupReport) -> str:
    lines = [
        f"Part 2: prompt-lookup decoding vs plain (greedy, max_ngram_size {report.max_ngram_size}, "
        f"at most {report.max_tokens} tokens a request; tok/s: decode only, ms: mean request "
        f"with prefill; speed-up: per request)",
        _row(_LOOKUP_COLUMNS, _LOOKUP_COLUMNS),
    ]
    for r in report.results:
        cells = [
            r.kind,
            str(r.prompts),
            str(r.num_pred_tokens),
            str(r.tokens),
            f"{r.plain_decode_tokens_per_second:.1f}",
            f"{r.lookup_decode_tokens_per_second:.1f}",
            f"{r.decode_speedup:.2f}×",
            f"{r.plain_request_ms:.0f}",
            f"{r.lookup_request_ms:.0f}",
            f"{r.speedup:.2f}×",
            f"{r.identical_outputs}/{r.prompts}",
        ]
        lines.append(_row(cells, _LOOKUP_COLUMNS))
    lines.append("the engine keeps lookup decoding only where it wins:")
    lines.extend(f"  {lookup_verdict_text(v)}" for v in report.verdicts)
    return "\n".join(lines)


def format_tables(report: DecodingBenchReport) -> str:
    return "\n\n".join(
        [
            f"machine: {report.cpu_count} cores, load average {report.load_average:.2f} at start",
            format_batching_table(report.batching, model=report.model, n_threads=report.n_threads),
            format_lookup_table(report.lookup),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Prompts
# ---------------------------------------------------------------------------------------------


class Prompts:
    """Renders prompts with the model's own chat template, as the engine does, and tokenizes."""

    def __init__(self, llm: Any) -> None:
        from tongxue.engine.template import ChatTemplate

        self.llm = llm
        source = llm.metadata.get("tokenizer.chat_template")
        if not source:
            raise ValueError("the model carries no chat template")
        self.template = ChatTemplate(
            source, bos_token=self._text(llm.token_bos()), eos_token=self._text(llm.token_eos())
        )

    def _text(self, token: int) -> str:
        if token < 0:
            return ""
        piece: bytes = self.llm.detokenize([token], special=True)
        return piece.decode("utf-8", errors="ignore")

    def tokens(self, text: str) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True))

    def chat(self, question: str) -> list[int]:
        messages = [
            ChatMessage(role="system", content=SYSTEM_PROMPT),
            ChatMessage(role="user", content=question),
        ]
        return self.tokens(self.template.render(messages))

    def tool_call(self, prompt: ToolPrompt, tool: ToolDefinition) -> list[int]:
        """A forced call, as the engine plans it: the prompt already ends with the opening tag."""
        from tongxue.engine.tool_parser import TAG_OPEN

        messages = [
            ChatMessage(role="system", content=SYSTEM_PROMPT),
            ChatMessage(role="user", content=prompt.request),
        ]
        return self.tokens(self.template.render(messages, [tool]) + TAG_OPEN + "\n")


def cabin_tools(profile: str = "suv6") -> dict[str, ToolDefinition]:
    from tongxue.cabin.profile import resolve_profile
    from tongxue.cabin.tools import tool_schemas

    tools = (ToolDefinition.model_validate(s) for s in tool_schemas(resolve_profile(profile)))
    return {t.function.name: t for t in tools}


# ---------------------------------------------------------------------------------------------
# Part 1: several streams in one context
# ---------------------------------------------------------------------------------------------


@dataclass
class _Stream:
    seq: int
    prompt: list[int]
    sampler: Any
    tokens: list[int] = field(default_factory=list)
    first_token_at: float = 0.0


class MultiStreamDecoder:
    """One llama.cpp context holding up to `max_streams` sequences, decoded together.

    The KV cache is unified (one buffer for all sequences, as in the prototype): the cells are
    one pool, so streams of any length fit as long as their sum does. llama.cpp notes that
    split buffers can be faster for sequences without a shared prefix; the report says which
    was measured.
    """

    def __init__(self, llm: Any, *, max_streams: int, n_ctx: int, n_threads: int) -> None:
        import llama_cpp
        from llama_cpp import _internals

        params = llama_cpp.llama_context_default_params()
        params.n_ctx = n_ctx
        params.n_batch = N_BATCH
        params.n_ubatch = N_BATCH
        params.n_seq_max = max_streams
        params.kv_unified = True
        params.n_threads = n_threads
        params.n_threads_batch = n_threads
        self.kv_unified = True
        # llama-cpp-python's internals carry no annotations.
        self.ctx: Any = _internals.LlamaContext(model=llm._model, params=params, verbose=False)
        self.batch: Any = _internals.LlamaBatch(
            n_tokens=N_BATCH, embd=0, n_seq_max=max_streams, verbose=False
        )

    def close(self) -> None:
        self.batch.close()
        self.ctx.close()

    def _add(self, token: int, pos: int, seq: int, logits: bool) -> int:
        """Append one token to the batch; returns its row, where its logits will be."""
        b = self.batch.batch
        row: int = b.n_tokens
        b.token[row] = token
        b.pos[row] = pos
        b.n_seq_id[row] = 1
        b.seq_id[row][0] = seq
        b.logits[row] = logits
        b.n_tokens = row + 1
        return row

    def _sample(self, stream: _Stream, row: int) -> None:
        import llama_cpp

        token = llama_cpp.llama_sampler_sample(stream.sampler.sampler, self.ctx.ctx, row)
        if not stream.tokens:
            stream.first_token_at = time.perf_counter()
        stream.tokens.append(token)

    def _prefill(self, streams: Sequence[_Stream]) -> None:
        """All prompts in as few batches as fit; each stream samples once its prompt is in.

        A batch's logits are gone after the next decode, so a stream whose prompt ends in a
        batch samples its first token right after that batch, as llama.cpp's server does.
        """
        self.batch.reset()
        ending: list[tuple[_Stream, int]] = []
        for stream in streams:
            last = len(stream.prompt) - 1
            for pos, token in enumerate(stream.prompt):
                if self.batch.batch.n_tokens == N_BATCH:
                    self._decode_and_sample(ending)
                    ending = []
                row = self._add(token, pos, stream.seq, pos == last)
                if pos == last:
                    ending.append((stream, row))
        self._decode_and_sample(ending)

    def _decode_and_sample(self, ending: Sequence[tuple[_Stream, int]]) -> None:
        self.ctx.decode(self.batch)
        self.batch.reset()
        for stream, row in ending:
            self._sample(stream, row)

    def run(self, prompts: Sequence[list[int]], n_tokens: int) -> list[_Stream]:
        """Decode `n_tokens` greedy tokens for every prompt, all sequences in each batch.

        EOS is ignored: every stream decodes exactly `n_tokens`, so the batch stays full to the
        end and both modes generate the same amount; otherwise a stream that finishes early
        would make the comparison measure answer lengths, not decoding.
        """
        from llama_cpp import _internals

        self.ctx.kv_cache_clear()
        streams = []
        for seq, prompt in enumerate(prompts):
            sampler: Any = _internals.LlamaSampler()  # type: ignore[no-untyped-call]
            sampler.add_greedy()
            streams.append(_Stream(seq=seq, prompt=prompt, sampler=sampler))
        self._prefill(streams)
        for _ in range(n_tokens - 1):
            rows = [
                (s, self._add(s.tokens[-1], len(s.prompt) + len(s.tokens) - 1, s.seq, True))
                for s in streams
            ]
            self._decode_and_sample(rows)
        for stream in streams:
            stream.sampler.close()
        return streams


def streams_context_size(prompts: Sequence[list[int]], n_tokens: int) -> int:
    """KV cells for all prompts and their tokens at once, rounded up to llama.cpp's 256."""
    cells = sum(len(p) + n_tokens for p in prompts)
    return -(-cells // 256) * 256


@dataclass(frozen=True)
class RequestTiming:
    """One request decoded alone, timed from its own start."""

    first_token_s: float
    duration_s: float


def queued_mode(requests: Sequence[RequestTiming], tokens_each: int) -> ModeResult:
    """N requests run back to back, all arrived at once: request k waits for 0..k-1 first.

    That wait is what batching would remove, so it counts in the time to first token.
    """
    starts = itertools.accumulate((r.duration_s for r in requests[:-1]), initial=0.0)
    first = [start + r.first_token_s for start, r in zip(starts, requests, strict=True)]
    return mode_result(first, sum(r.duration_s for r in requests), len(requests) * tokens_each)


def decode_alone(
    decoder: MultiStreamDecoder, prompt: list[int], n_tokens: int
) -> tuple[RequestTiming, list[int]]:
    started = time.perf_counter()
    (stream,) = decoder.run([prompt], n_tokens)
    timing = RequestTiming(
        first_token_s=stream.first_token_at - started, duration_s=time.perf_counter() - started
    )
    return timing, stream.tokens


def decode_together(
    decoder: MultiStreamDecoder, prompts: Sequence[list[int]], n_tokens: int
) -> tuple[ModeResult, list[int]]:
    """All prompts prefilled in one batch and decoded in lockstep; stream 0's tokens."""
    started = time.perf_counter()
    streams = decoder.run(prompts, n_tokens)
    result = mode_result(
        [s.first_token_at - started for s in streams],
        time.perf_counter() - started,
        len(prompts) * n_tokens,
    )
    return result, streams[0].tokens


def run_batching(
    llm: Any,
    prompts: Prompts,
    *,
    streams: Sequence[int],
    n_tokens: int,
    n_threads: int,
    progress: Progress,
) -> BatchingReport:
    questions = [STREAM_QUESTIONS[i % len(STREAM_QUESTIONS)] for i in range(max(streams))]
    tokenized = [prompts.chat(q) for q in questions]
    decoder = MultiStreamDecoder(
        llm,
        max_streams=max(streams),
        n_ctx=streams_context_size(tokenized, n_tokens),
        n_threads=n_threads,
    )
    try:
        progress("part 1: warm-up")
        decoder.run(tokenized[:1], 4)  # first touch of the weights and buffers, not measured
        # The queue runs requests back to back, so N queued requests are the first N of one
        # sequential run: each request is decoded alone once and every N is derived from those.
        alone = []
        for i, prompt in enumerate(tokenized):
            progress(f"part 1: request {i + 1}/{len(tokenized)} alone")
            alone.append(decode_alone(decoder, prompt, n_tokens))
        results = []
        for n in streams:
            progress(f"part 1: {n} stream(s) batched")
            batched, stream0 = decode_together(decoder, tokenized[:n], n_tokens)
            sequential = queued_mode([timing for timing, _ in alone[:n]], n_tokens)
            results.append(
                StreamsResult(
                    streams=n,
                    tokens_per_stream=n_tokens,
                    sequential=sequential,
                    batched=batched,
                    gain=gain(sequential, batched),
                    stream0_same_tokens=stream0 == alone[0][1],
                    stream0_matching_tokens=common_prefix(stream0, alone[0][1]),
                )
            )
    finally:
        decoder.close()
    at, default = batching_decision(results)
    return BatchingReport(
        kv_unified=decoder.kv_unified,
        results=results,
        rule=DECISION_RULE,
        gain_at_rule_streams=at,
        batched_default=default,
    )


# ---------------------------------------------------------------------------------------------
# Part 2: prompt-lookup decoding
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupCase:
    kind: str
    tokens: list[int]
    grammar_text: str | None


@dataclass(frozen=True)
class Generation:
    tokens: list[int]
    # From the first token to the last (the first comes from the prefill, the rest are decode
    # steps), and from the call to the last token.
    decode_s: float
    request_s: float


def generate(llm: Any, case: LookupCase, max_tokens: int) -> Generation:
    """Greedy tokens for one prompt from a cold cache, up to and including the end token."""
    import llama_cpp
    from llama_cpp.llama_grammar import LlamaGrammar

    grammar = None
    if case.grammar_text is not None:
        grammar = LlamaGrammar.from_string(case.grammar_text, verbose=False)
    llm.reset()  # a cold prompt on both sides: no prefix of an earlier run is reused
    vocab = llm._model.vocab
    tokens: list[int] = []
    started = time.perf_counter()
    first = last = started
    for token in llm.generate(case.tokens, temp=0.0, repeat_penalty=1.0, grammar=grammar):
        last = time.perf_counter()
        if not tokens:
            first = last
        tokens.append(token)
        if llama_cpp.llama_vocab_is_eog(vocab, token) or len(tokens) >= max_tokens:
            break
    return Generation(tokens=tokens, decode_s=last - first, request_s=last - started)


def lookup_result(
    kind: str, num_pred_tokens: int, plain: Sequence[Generation], lookup: Sequence[Generation]
) -> LookupResult:
    """Sums over the prompts of a kind: rates are total tokens over total time."""
    plain_decode = _decode_rate(plain)
    lookup_decode = _decode_rate(lookup)
    plain_ms = sum(g.request_s for g in plain) * 1000 / len(plain)
    lookup_ms = sum(g.request_s for g in lookup) * 1000 / len(lookup)
    return LookupResult(
        kind=kind,
        num_pred_tokens=num_pred_tokens,
        prompts=len(plain),
        tokens=sum(len(g.tokens) for g in lookup),
        plain_decode_tokens_per_second=plain_decode,
        lookup_decode_tokens_per_second=lookup_decode,
        decode_speedup=lookup_decode / plain_decode if plain_decode > 0 else 0.0,
        plain_request_ms=plain_ms,
        lookup_request_ms=lookup_ms,
        speedup=plain_ms / lookup_ms,
        identical_outputs=sum(p.tokens == q.tokens for p, q in zip(plain, lookup, strict=True)),
    )


def _decode_rate(generations: Sequence[Generation]) -> float:
    seconds = sum(g.decode_s for g in generations)
    steps = sum(len(g.tokens) - 1 for g in generations)
    return steps / seconds if seconds > 0 else 0.0


def lookup_cases(prompts: Prompts, *, per_kind: int) -> list[LookupCase]:
    from tongxue.engine.grammar import tool_call_grammar

    tools = cabin_tools()
    cases = []
    for item in TOOL_PROMPTS[:per_kind]:
        tool = tools[item.tool]
        cases.append(
            LookupCase("tool call", prompts.tool_call(item, tool), tool_call_grammar([tool]))
        )
    cases.extend(LookupCase("chat", prompts.chat(q), None) for q in CHAT_PROMPTS[:per_kind])
    return cases


def run_lookup(
    plain_llm: Any,
    lookup_llm: Any,
    cases: Sequence[LookupCase],
    *,
    pred_tokens: Sequence[int],
    max_tokens: int,
    progress: Progress,
) -> LookupReport:
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

    progress("part 2: warm-up")
    shortest = min(cases, key=lambda case: len(case.tokens))
    generate(plain_llm, shortest, 4)
    generate(lookup_llm, shortest, 4)
    progress("part 2: plain decoding")
    plain = [generate(plain_llm, case, max_tokens) for case in cases]
    kinds = list(dict.fromkeys(case.kind for case in cases))
    results = []
    for n in pred_tokens:
        progress(f"part 2: prompt lookup, num_pred_tokens {n}")
        # The draft model is only read in `generate`; swapping it keeps one loaded context.
        lookup_llm.draft_model = LlamaPromptLookupDecoding(
            max_ngram_size=MAX_NGRAM_SIZE, num_pred_tokens=n
        )
        lookup = [generate(lookup_llm, case, max_tokens) for case in cases]
        for kind in kinds:
            mine = [i for i, case in enumerate(cases) if case.kind == kind]
            results.append(
                lookup_result(kind, n, [plain[i] for i in mine], [lookup[i] for i in mine])
            )
    return LookupReport(
        max_ngram_size=MAX_NGRAM_SIZE,
        max_tokens=max_tokens,
        results=results,
        verdicts=[lookup_verdict(kind, results) for kind in kinds],
    )


# ---------------------------------------------------------------------------------------------
# The whole benchmark
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecodingBenchSettings:
    streams: tuple[int, ...] = DEFAULT_STREAMS
    tokens: int = 64
    pred_tokens: tuple[int, ...] = DEFAULT_PRED_TOKENS
    lookup_max_tokens: int = 64
    prompts_per_kind: int = len(TOOL_PROMPTS)


def load_llama(
    path: Path, *, n_ctx: int, n_threads: int, n_gpu_layers: int = 0, lookup: bool = False
) -> Any:
    """The model through llama-cpp-python's high-level class.

    `lookup` sets a draft model at load time: llama-cpp-python then keeps the logits of every
    position (it verifies drafts against them), which it decides when the context is made.
    """
    from llama_cpp import Llama
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

    return Llama(
        model_path=str(path),
        n_ctx=n_ctx,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        n_batch=N_BATCH,
        n_gpu_layers=n_gpu_layers,
        draft_model=LlamaPromptLookupDecoding(max_ngram_size=MAX_NGRAM_SIZE) if lookup else None,
        verbose=False,
    )


def run_decoding_bench(
    path: Path,
    *,
    model_name: str,
    settings: DecodingBenchSettings,
    n_threads: int | None = None,
    n_gpu_layers: int = 0,
    progress: Progress = lambda _: None,
) -> DecodingBenchReport:
    threads = n_threads or os.cpu_count() or 1
    load_average = os.getloadavg()[0]
    progress(f"loading {path.name}")
    plain_llm = load_llama(path, n_ctx=2048, n_threads=threads, n_gpu_layers=n_gpu_layers)
    prompts = Prompts(plain_llm)
    batching = run_batching(
        plain_llm,
        prompts,
        streams=settings.streams,
        n_tokens=settings.tokens,
        n_threads=threads,
        progress=progress,
    )
    cases = lookup_cases(prompts, per_kind=settings.prompts_per_kind)
    # Only as large as the longest request: with a draft model llama-cpp-python keeps a row of
    # logits (the whole vocabulary) for every position of the context.
    n_ctx = max(len(c.tokens) for c in cases) + settings.lookup_max_tokens + 16
    lookup_llm = load_llama(
        path, n_ctx=n_ctx, n_threads=threads, n_gpu_layers=n_gpu_layers, lookup=True
    )
    try:
        lookup = run_lookup(
            plain_llm,
            lookup_llm,
            cases,
            pred_tokens=settings.pred_tokens,
            max_tokens=settings.lookup_max_tokens,
            progress=progress,
        )
    finally:
        lookup_llm.close()
        plain_llm.close()
    return DecodingBenchReport(
        model=model_name,
        n_threads=threads,
        cpu_count=os.cpu_count() or 1,
        load_average=load_average,
        batching=batching,
        lookup=lookup,
    )
