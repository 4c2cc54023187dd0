"""Engine settings that make SQLite behave like the production database where it matters, and the
locks that keep the coordinator's counts right when writers run at once."""
from __future__ import annotations

import hashlib

from sqlalchemy import event, text
from sqlalchemy.orm import scoped_session


COUNTS_LOCK = 6006
# (transaction, the keys and organisations it holds): each is asked for once per transaction
_HELD = "counts_locks_held"


def _org_key(organisation_id) -> int:
    return int.from_bytes(organisation_id.bytes[:4], "big", signed=True)


def _key(organisation_id, key: tuple) -> int:
    digest = hashlib.sha256(repr((str(organisation_id), *map(str, key))).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_counts(session, organisation_id, *keys: tuple) -> None:
    """Serialise the writes that keep one piece of the coordinator's counts until this transaction
    ends, so two saves never recount it from each other's stale rows: a people-and-places form
    ("form", label, canonical form), the peer groups ("peers",), an RHI's tags ("unit", id). Each
    writer also holds the organisation's lock shared, which `lock_all_counts` takes alone.

    Within a transaction take forms, then peers, then units, so that two writers never wait on each
    other in a circle. PostgreSQL only: SQLite lets one writer in at a time anyway."""
    if organisation_id is None or session.get_bind().dialect.name != "postgresql":
        return
    session = session() if isinstance(session, scoped_session) else session
    transaction = session.get_transaction()
    held = session.info.get(_HELD)
    if held is None or held[0] is not transaction:
        held = session.info[_HELD] = (transaction, set())
    keys = sorted({_key(organisation_id, k) for k in keys} - held[1])
    shared = organisation_id not in held[1]
    if not keys and not shared:
        return
    # one statement: the organisation shared, then each key in order (unnest keeps the array's order)
    session.execute(text("SELECT CASE WHEN :shared THEN pg_advisory_xact_lock_shared(:space, :org) END, "
                         "(SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k)"),
                    {"shared": shared, "space": COUNTS_LOCK, "org": _org_key(organisation_id), "keys": keys})
    held[1].update(keys)
    held[1].add(organisation_id)


def lock_all_counts(session, organisation_id) -> None:
    """Hold every count of the organisation until this transaction ends: for rebuilding them, for
    deleting a child's record, and for re-tagging many RHIs in one transaction."""
    if organisation_id is None or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:space, :org)"),
                    {"space": COUNTS_LOCK, "org": _org_key(organisation_id)})


def configure_engine(engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        # pysqlite's own transaction handling skips BEGIN and breaks savepoints; SQLAlchemy emits it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")
