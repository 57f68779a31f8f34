"""The Hugging Face hub as a model source, tried only when it answers quickly.

In a car, or behind a firewall, the hub is often unreachable, and huggingface_hub's own retries
can take a long time to give up; a quick probe with a hard deadline decides first.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import httpx

from tongxue.models.errors import SourceError
from tongxue.models.progress import Progress
from tongxue.models.registry import ModelSpec

logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
_TRUE = {"1", "true", "yes", "on"}


def endpoint_from_env() -> str:
    """The hub endpoint huggingface_hub would use: `HF_ENDPOINT`, else huggingface.co."""
    return os.environ.get("HF_ENDPOINT", "").strip().rstrip("/") or DEFAULT_ENDPOINT


def probe(endpoint: str, timeout: float) -> str | None:
    """None when the endpoint answers (any HTTP status) within `timeout` seconds, else why not.

    The request runs in a daemon thread so that even a hanging DNS lookup, which no socket
    timeout covers, cannot hold the caller past the deadline.
    """
    outcome: list[str | None] = []

    def attempt() -> None:
        try:
            httpx.head(endpoint, timeout=timeout)
            outcome.append(None)
        except httpx.HTTPError as error:
            outcome.append(f"unreachable ({type(error).__name__}: {error})")

    thread = threading.Thread(target=attempt, name="hub-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        return f"no answer within {timeout:g}s"
    return outcome[0]


class HubSource:
    """Downloads the spec's hub file with `huggingface_hub.hf_hub_download`."""

    def __init__(self, timeout: float, endpoint: str | None = None) -> None:
        self.timeout = timeout
        self.endpoint = (endpoint or endpoint_from_env()).rstrip("/")

    @property
    def name(self) -> str:
        return f"huggingface hub ({self.endpoint})"

    def fetch(self, spec: ModelSpec, dest: Path, progress: Progress) -> None:
        if spec.hub is None:
            raise SourceError("no hub repository is known for this model")
        if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE:
            raise SourceError("skipped: HF_HUB_OFFLINE is set")
        problem = probe(self.endpoint, self.timeout)
        if problem is not None:
            raise SourceError(problem)

        # Imported here: it is slow to import and only needed when the hub is actually used.
        from huggingface_hub import hf_hub_download

        # Kept after a failure: huggingface_hub resumes its `.incomplete` download from there.
        work_dir = dest.parent / f".{spec.filename}.hub"
        logger.info("downloading %s/%s from %s", spec.hub.repo_id, spec.hub.filename, self.endpoint)
        try:
            downloaded = hf_hub_download(
                spec.hub.repo_id,
                spec.hub.filename,
                revision=spec.hub.revision,
                local_dir=work_dir,
                endpoint=self.endpoint,
                etag_timeout=self.timeout,
                tqdm_class=progress.tqdm_class,
            )
        except Exception as error:  # huggingface_hub raises many kinds; all mean "not from here"
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise SourceError(f"download failed ({type(error).__name__}: {first_line})") from error
        os.replace(str(downloaded), dest)
        shutil.rmtree(work_dir, ignore_errors=True)
