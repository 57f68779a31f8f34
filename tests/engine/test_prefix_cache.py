"""The prefix cache's bookkeeping: byte budget, least recently used first out, files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongxue.engine.prefix_cache import PrefixCache, prefix_key


def test_get_returns_what_was_put_and_counts_hits_and_misses() -> None:
    cache = PrefixCache(1000)
    cache.put([1, 2, 3], b"abc")
    state = cache.get([1, 2, 3])
    assert state is not None and state.data == b"abc" and state.tokens == (1, 2, 3)
    assert cache.get([1, 2]) is None
    assert (cache.hits, cache.misses) == (1, 1)
    assert [1, 2, 3] in cache and [1, 2] not in cache


def test_the_least_recently_used_state_goes_first_when_the_budget_is_reached() -> None:
    cache = PrefixCache(10)
    cache.put([1], b"aaaa")
    cache.put([2], b"bbbb")
    assert cache.get([1]) is not None  # [2] is now the least recently used
    cache.put([3], b"cccc")
    assert [1] in cache and [3] in cache and [2] not in cache
    assert cache.size_bytes == 8


def test_a_state_larger_than_the_budget_is_not_kept() -> None:
    cache = PrefixCache(3)
    cache.put([1], b"four")
    assert [1] not in cache and cache.size_bytes == 0


def test_fits_says_whether_a_state_needs_no_eviction() -> None:
    cache = PrefixCache(10)
    cache.put([1], b"123456")
    assert cache.fits(4) and not cache.fits(5)


def test_persisted_states_are_found_by_a_new_cache_on_the_same_folder(tmp_path: Path) -> None:
    PrefixCache(100, tmp_path).put([5, 6], b"state", label="chat", persist=True)
    PrefixCache(100, tmp_path).put([7], b"other")  # not persisted
    fresh = PrefixCache(100, tmp_path)
    state = fresh.get([5, 6])
    assert state is not None and state.data == b"state"
    assert fresh.get([7]) is None
    assert (tmp_path / f"{prefix_key([5, 6])}.state").is_file()


def test_forget_drops_the_state_and_its_file(tmp_path: Path) -> None:
    cache = PrefixCache(100, tmp_path)
    cache.put([1], b"x", persist=True)
    cache.forget([1])
    assert [1] not in cache and cache.size_bytes == 0
    assert not list(tmp_path.iterdir())


def test_report_lists_each_state_with_its_size_and_label() -> None:
    cache = PrefixCache(100)
    cache.put([1, 2], b"xyz", label="tools: set_light")
    report = cache.report()
    assert [(e.tokens, e.bytes, e.label) for e in report.entries] == [(2, 3, "tools: set_light")]
    assert (report.bytes, report.max_bytes) == (3, 100)


def test_the_key_depends_on_every_token() -> None:
    assert prefix_key([1, 23]) != prefix_key([12, 3])


def test_a_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError):
        PrefixCache(-1)
