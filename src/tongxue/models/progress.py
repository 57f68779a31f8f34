"""Progress bars for the long model operations (download, install, concatenate, hash)."""

from __future__ import annotations

from typing import Any

from tqdm import tqdm


class Progress:
    """Makes tqdm bars on stderr; `enabled=False` makes silent ones (tests, servers)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def bytes_bar(self, desc: str, total: int | None) -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=desc,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            disable=not self.enabled,
            leave=False,
        )

    def steps_bar(self, desc: str, total: int, unit: str) -> tqdm[Any]:
        return tqdm(total=total, desc=desc, unit=unit, disable=not self.enabled, leave=False)

    @property
    def tqdm_class(self) -> type[tqdm[Any]]:
        """A tqdm class for libraries that draw their own bars (huggingface_hub)."""
        return tqdm if self.enabled else _SilentTqdm


class _SilentTqdm(tqdm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["disable"] = True
        super().__init__(*args, **kwargs)
