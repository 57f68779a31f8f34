"""Caps are per owner: one key making many sessions or confirmations never evicts another's.

Owners and pending confirmations live in the server's SQLite database, so they also
outlive the store that wrote them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tongxue.cabin.actions import SetDoorLock
from tongxue.dialogue.database import Database
from tongxue.dialogue.sessions import SessionStore
from tongxue.server.confirmations import ConfirmationStore
from tongxue.server.ownership import SessionOwners
from tongxue.server.security.auth import Caller

ALICE = Caller(key_id="ka", role="phone", user="alice")
BOB = Caller(key_id="kb", role="phone", user="bob")
ADMIN = Caller(key_id="kz", role="admin", user="ops")
UNLOCK = (SetDoorLock(locked=False),)
UNLOCK_BODY = {"actions": [{"name": "set_door_lock", "arguments": {"locked": False}}]}


def test_many_sessions_of_one_user_never_evict_another_users() -> None:
    owners = SessionOwners(SessionStore(max_sessions=3))
    bobs = owners.create(BOB)
    alices = [owners.create(ALICE) for _ in range(20)]
    assert owners.get(BOB, bobs.id) is not None
    assert [s.id for s in owners.visible(ALICE)] == [s.id for s in alices[-3:]]
    assert owners.get(ALICE, alices[0].id) is None
    assert len(owners.visible(ADMIN)) == 4


def test_owners_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "memory.db"
    database = Database(path)
    session = SessionOwners(SessionStore(database=database)).create(ALICE)
    database.close()
    owners = SessionOwners(SessionStore(database=Database(path)))
    assert owners.get(ALICE, session.id) is not None
    assert owners.get(BOB, session.id) is None
    assert owners.visible(BOB) == []
    assert not owners.delete(BOB, session.id)
    assert owners.delete(ALICE, session.id)


def test_many_confirmations_of_one_key_never_evict_another_keys() -> None:
    store = ConfirmationStore(60, max_pending=3)
    bobs = store.hold(BOB.key_id, "driver", UNLOCK)
    alices = [store.hold(ALICE.key_id, "driver", UNLOCK) for _ in range(20)]
    assert store.take(bobs.id, BOB.key_id) is not None
    assert [store.take(p.id, ALICE.key_id) is not None for p in alices] == [False] * 17 + [True] * 3


def test_confirmations_survive_a_restart_and_stay_single_use(tmp_path: Path) -> None:
    path = tmp_path / "memory.db"
    database = Database(path)
    pending = ConfirmationStore(60, database=database).hold("k1", "passenger", UNLOCK)
    database.close()
    store = ConfirmationStore(60, database=Database(path))
    assert store.take(pending.id, "k2") is None
    taken = store.take(pending.id, "k1")
    assert taken is not None
    assert (taken.seat, taken.actions, taken.expires_at) == (
        "passenger",
        UNLOCK,
        pending.expires_at,
    )
    assert store.take(pending.id, "k1") is None


def test_expired_confirmations_are_dropped() -> None:
    store = ConfirmationStore(0.05)
    pending = store.hold("k1", "driver", UNLOCK)
    assert pending.expires_at > time.time()
    time.sleep(0.1)
    store.hold("k2", "driver", UNLOCK)
    with store.database.read() as db:
        assert db.execute("SELECT key_id FROM confirmations").fetchall() == [("k2",)]
    assert store.take(pending.id, "k1") is None


def test_a_busy_phone_never_evicts_another_users_session_or_unlock(make_server: Any) -> None:
    keys = {"alice": ("phone", "alice"), "bob": ("phone", "bob")}
    with make_server(keys=keys) as server:
        server.context.agent.sessions.max_sessions = 3
        server.context.confirmations.max_pending = 2
        with server.client("bob") as bob, server.client("alice") as alice:
            session = bob.post("/v1/assistant/sessions").json()["id"]
            held = bob.post("/v1/vehicle/actions", json=UNLOCK_BODY).json()
            for _ in range(10):
                assert alice.post("/v1/assistant/sessions").status_code == 201
                assert alice.post("/v1/vehicle/actions", json=UNLOCK_BODY).status_code == 202
            assert len(alice.get("/v1/assistant/sessions").json()["data"]) == 3
            assert bob.get(f"/v1/assistant/sessions/{session}").status_code == 200
            assert bob.post(held["confirm_url"]).status_code == 200
