"""The one word that sums up a turn (contract v2, "Outcomes"), and how reports name statuses.

Pure functions over plain data, so every path of the agent (rules, undo, memory, model)
computes the outcome the same way from what its parts did.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from tongxue.cabin.results import ActionResult, Status

Outcome = Literal["refused", "unsupported", "done", "answered", "not_understood"]
ReportStatus = Literal["done", "refused", "unsupported"]

# A clamped value was still set, and a setting already at the asked value is what was
# asked for: both count as done, for the turn and in reports.
_REPORT_STATUS: dict[Status, ReportStatus] = {
    "done": "done",
    "clamped": "done",
    "unchanged": "done",
    "refused": "refused",
    "unsupported": "unsupported",
}


def report_status(status: Status) -> ReportStatus:
    """An action's status as evaluation reports give it: done, refused or unsupported."""
    return _REPORT_STATUS[status]


def turn_outcome(
    results: Iterable[ActionResult] = (),
    *,
    answered: bool = False,
    unsupported: bool = False,
    nothing_to_undo: bool = False,
) -> Outcome:
    """The turn's outcome: the first of the contract's table that applies.

    `results`: every action result of the turn, from all its parts (undo's reverts too).
    `answered`: a question was answered or a negation acknowledged.
    `unsupported`: a part was understood but cannot be done without an action to show for
    it (a provider part, an out-of-contract part).
    `nothing_to_undo`: an undo found nothing to revert.
    Parts not understood need no flag: with nothing else, the turn is `not_understood`.
    """
    statuses = {report_status(result.status) for result in results}
    if "refused" in statuses:
        return "refused"
    if "unsupported" in statuses or unsupported or nothing_to_undo:
        return "unsupported"
    if "done" in statuses:
        return "done"
    if answered:
        return "answered"
    return "not_understood"
