"""Model references that are paths: a GGUF file, or a transformers folder with `config.json`."""

from __future__ import annotations

import os
from pathlib import Path

from tongxue.models.errors import InvalidModelPathError
from tongxue.models.integrity import has_gguf_magic
from tongxue.models.results import ResolvedModel


def looks_like_path(ref: str) -> bool:
    """Whether the user evidently meant a path (so a missing one is an error, not a name)."""
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return (
        any(sep in ref for sep in separators)
        or ref.startswith(("~", "."))
        or ref.lower().endswith(".gguf")
    )


def resolve_local(ref: str, *, must_exist: bool) -> ResolvedModel | None:
    """The model at path `ref`, used as is; None when `ref` is not an existing path.

    With `must_exist`, a missing path raises instead of returning None.
    """
    path = Path(ref).expanduser()
    if not path.exists():
        if must_exist:
            raise InvalidModelPathError(path, "no such file or folder")
        return None
    path = path.resolve()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise InvalidModelPathError(
                path, "a folder, but not a transformers model (it has no config.json)"
            )
        return ResolvedModel(path=path, format="transformers", name=path.name, spec=None)
    if not has_gguf_magic(path):
        raise InvalidModelPathError(path, "not a GGUF file (it does not start with 'GGUF')")
    return ResolvedModel(path=path, format="gguf", name=path.stem, spec=None)
