"""The server's guard on the car: actions done for a phone are judged as remote ones."""

from __future__ import annotations

import contextvars

from tongxue.cabin.actions import ActionContext, SetDoorLock, SetHeadlights, SetSunroof
from tongxue.server.confirmations import ConfirmationStore
from tongxue.server.guard import GuardedVehicle, acting_caller
from tongxue.server.security.auth import LOCAL_CALLER, Caller

PHONE = Caller(key_id="k1", role="phone", user="alice")


def _as(caller: Caller | None, fn, *args):  # type: ignore[no-untyped-def]
    """Run `fn` in a context where `caller` is the acting caller (as a request would)."""
    context = contextvars.copy_context()

    def run():  # type: ignore[no-untyped-def]
        acting_caller.set(caller)
        return fn(*args)

    return context.run(run)


def test_a_model_call_on_behalf_of_a_phone_is_judged_as_the_phone() -> None:
    vehicle = GuardedVehicle()
    ctx = ActionContext(speaker="driver", source="llm")
    actions = [SetSunroof(position=50), SetHeadlights(mode="high"), SetDoorLock(locked=False)]
    results = _as(PHONE, vehicle.execute, actions, ctx, "turn-1")
    assert [r.status for r in results] == ["done", "refused", "refused"]
    assert [r.reason_code for r in results] == [None, "not_in_seat", "confirmation_required"]
    assert vehicle.get("lights.headlights") == "auto"
    assert vehicle.get("doors.locked") is True
    assert vehicle.get("sunroof") == 50


def test_the_same_call_from_the_car_runs() -> None:
    vehicle = GuardedVehicle()
    ctx = ActionContext(speaker="driver", source="llm")
    for caller in (None, LOCAL_CALLER, Caller(key_id="k2", role="car", user="family")):
        vehicle.reset()
        results = _as(caller, vehicle.execute, [SetHeadlights(mode="high")], ctx, "t")
        assert results[0].status == "done"


def test_a_confirmed_phone_unlock_runs_under_the_policy() -> None:
    vehicle = GuardedVehicle()
    ctx = ActionContext(speaker="driver", source="phone")
    done = vehicle.execute([SetDoorLock(locked=False)], ctx, "t", confirmed=True)
    assert done[0].status == "done"
    vehicle.set_many({"doors.locked": True, "drive.gear": "D"})
    moving = vehicle.execute([SetDoorLock(locked=False)], ctx, "t2", confirmed=True)
    assert moving[0].reason_code == "moving"


def test_the_phone_cannot_undo_an_unlock_into_being() -> None:
    vehicle = GuardedVehicle()
    phone = ActionContext(speaker="driver", source="phone")
    vehicle.execute([SetDoorLock(locked=False)], phone, "unlock", confirmed=True)
    vehicle.execute([SetDoorLock(locked=True)], phone, "lock")
    # Undoing the phone's own lock would unlock the car without a confirmation.
    assert _as(PHONE, vehicle.undo) == []
    assert vehicle.get("doors.locked") is True


def test_confirmations_are_single_use_and_bound_to_their_key() -> None:
    store = ConfirmationStore(ttl_s=60)
    pending = store.hold("k1", "driver", (SetDoorLock(locked=False),))
    assert store.take(pending.id, "k2") is None
    taken = store.take(pending.id, "k1")
    assert taken is not None and taken.actions == (SetDoorLock(locked=False),)
    assert store.take(pending.id, "k1") is None
