"""The reference backend: Hugging Face transformers on PyTorch (CPU here, CUDA where present).

It loads a transformers model folder, or a GGUF file (dequantised by transformers), and
renders prompts with the same chat template code as llama.cpp, so both backends see the
same text. It has no grammar sampler, so JSON-schema constrained output is refused clearly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tongxue.engine.base import GenerationPlan, GenerationStats, LocalTextEngine
from tongxue.engine.errors import EngineError, UnsupportedRequestError
from tongxue.engine.protocol import ChatRequest
from tongxue.engine.template import ChatTemplate

logger = logging.getLogger(__name__)


def pick_device(requested: str) -> str:
    import torch

    if requested != "auto":
        return requested
    return "cuda" if torch.cuda.is_available() else "cpu"


class TransformersEngine(LocalTextEngine):
    backend = "transformers"

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str | None = None,
        device: str = "auto",
        seed: int = 42,
    ) -> None:
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise EngineError(
                "the transformers backend needs torch and transformers: "
                "pip install 'tongxue[transformers]'"
            ) from exc
        folder, gguf_file = (
            (model_path.parent, model_path.name) if model_path.is_file() else (model_path, None)
        )
        self.device = pick_device(device)
        dtype = torch.bfloat16 if self.device.startswith("cuda") else torch.float32
        try:
            self.tokenizer: Any = AutoTokenizer.from_pretrained(folder, gguf_file=gguf_file)
            loaded: Any = AutoModelForCausalLM.from_pretrained(
                folder, gguf_file=gguf_file, dtype=dtype
            )
            self.model: Any = loaded.to(self.device)
        except (OSError, ValueError) as exc:
            raise EngineError(f"transformers could not load {model_path}: {exc}") from exc
        self.model.eval()
        source = self.tokenizer.chat_template
        if not source:
            raise EngineError(f"{model_path} carries no chat template")
        template = ChatTemplate(
            source,
            bos_token=self.tokenizer.bos_token or "",
            eos_token=self.tokenizer.eos_token or "",
        )
        super().__init__(template, model_name or model_path.stem)
        self.seed = seed

    def _generate(
        self,
        plan: GenerationPlan,
        request: ChatRequest,
        cancel: threading.Event,
        emit: Callable[[str], None],
    ) -> GenerationStats:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        if plan.json_schema is not None or plan.json_any:
            raise UnsupportedRequestError(
                "the transformers backend cannot constrain output to JSON; "
                "use the llama-cpp backend or an OpenAI-compatible server"
            )

        class _Cancelled(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                return cancel.is_set()

        inputs = self.tokenizer(plan.prompt, return_tensors="pt", add_special_tokens=False)
        inputs = {k: v.to(self.device) for k, v in inputs.items()}
        prompt_tokens = int(inputs["input_ids"].shape[1])
        streamer = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=600
        )
        sampling = request.temperature > 0
        options: dict[str, Any] = {
            **inputs,
            "max_new_tokens": plan.max_tokens,
            "do_sample": sampling,
            "repetition_penalty": request.repeat_penalty,
            "streamer": streamer,
            "stopping_criteria": StoppingCriteriaList([_Cancelled()]),
            "stop_strings": plan.stop,
            "tokenizer": self.tokenizer,
            "pad_token_id": self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
        }
        if sampling:
            options.update(
                temperature=request.temperature,
                top_p=request.top_p,
                top_k=request.top_k or None,
                min_p=request.min_p or None,
            )
        torch.manual_seed(request.seed if request.seed is not None else self.seed)
        output: dict[str, Any] = {}

        def run() -> None:
            try:
                with torch.inference_mode():
                    output["ids"] = self.model.generate(**options)
            except Exception as exc:  # surfaced to the caller below
                output["error"] = exc
                streamer.end()  # type: ignore[no-untyped-call]

        thread = threading.Thread(target=run, name="tongxue-hf-generate", daemon=True)
        thread.start()
        for text in streamer:
            if text:
                emit(text)
        thread.join()
        if "error" in output:
            raise EngineError(f"transformers generation failed: {output['error']}")
        completion = int(output["ids"].shape[1]) - prompt_tokens
        stats = GenerationStats(prompt_tokens=prompt_tokens, completion_tokens=completion)
        if cancel.is_set():
            stats.finish_reason = "cancelled"
        elif completion >= plan.max_tokens:
            stats.finish_reason = "length"
        return stats
