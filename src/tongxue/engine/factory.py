"""Builds the configured engine: resolves the model, then loads the chosen backend."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tongxue.config import Settings
from tongxue.engine.base import ChatEngine
from tongxue.engine.errors import EngineError
from tongxue.engine.prefix_cache import PrefixCache
from tongxue.models.store import ModelStore


def prefix_cache_for(settings: Settings, model_path: Path, model_name: str) -> PrefixCache | None:
    """The prefix cache the settings ask for, its files kept per model file and llama.cpp
    build (a state fits only the weights and the code that wrote it)."""
    if not settings.prefix_cache:
        return None
    import llama_cpp

    stat = model_path.stat()
    build = f"{stat.st_size}:{stat.st_mtime_ns}:{llama_cpp.__version__}"
    fingerprint = hashlib.sha256(build.encode()).hexdigest()[:12]
    return PrefixCache(
        settings.prefix_cache_mb * 1024 * 1024,
        settings.cache_dir / "prefix-states" / f"{model_name}-{fingerprint}",
    )


def create_engine(settings: Settings, store: ModelStore | None = None) -> ChatEngine:
    if settings.backend == "openai":
        from tongxue.engine.openai_backend import OpenAICompatibleEngine

        return OpenAICompatibleEngine(
            settings.openai_base_url,
            api_key=settings.openai_api_key,
            model=settings.openai_model,
            timeout=settings.request_timeout,
        )
    resolved = (store or ModelStore(settings)).resolve(settings.model)
    if settings.backend == "llama-cpp":
        from tongxue.engine.llama_cpp_backend import LlamaCppEngine

        if resolved.format != "gguf":
            raise EngineError(
                f"{resolved.path} is a transformers folder; llama-cpp needs a GGUF file "
                "(or choose --backend transformers)"
            )
        return LlamaCppEngine(
            resolved.path,
            model_name=resolved.name,
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            n_batch=settings.n_batch,
            n_gpu_layers=settings.n_gpu_layers,
            seed=settings.seed,
            prefix_cache=prefix_cache_for(settings, resolved.path, resolved.name),
            prefill_chunk=settings.prefill_chunk,
        )
    from tongxue.engine.transformers_backend import TransformersEngine

    return TransformersEngine(
        resolved.path, model_name=resolved.name, device=settings.device, seed=settings.seed
    )
