"""Schema of a Watchkeeper file, with forward migrations.

Each migration takes the file from version ``n - 1`` to ``n``; a file written by an older release
opens in a newer one by running the missing steps in one transaction. Never edit a released step:
add a new one.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import duckdb

from core.messages import Message, MessageError, MessageId

log = logging.getLogger(__name__)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with transaction(cur): ...`` commits what the block wrote, or rolls it all back.

    When the block (or the COMMIT) fails, the error that caused it is raised: DuckDB may already
    have aborted the transaction itself (a full disk, say), and then ROLLBACK's own complaint, "no
    transaction is active", must not hide the real reason.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error as rollback_exc:
            log.debug("rollback after %r failed: %s", exc, rollback_exc)
        raise


MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "readings: channel table, lean sample table and the readings view",
        """
        CREATE TABLE channels (
            id USMALLINT PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            unit VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE TABLE samples (
            channel_id USMALLINT NOT NULL,
            ts TIMESTAMPTZ NOT NULL,
            value DOUBLE NOT NULL
        );
        CREATE VIEW readings AS
            SELECT s.ts, c.name AS channel, s.value
            FROM samples s JOIN channels c ON c.id = s.channel_id;
        """,
    ),
    (
        2,
        "rollups: 1-minute and 1-hour min/max/sum/count per channel, built from existing samples",
        """
        CREATE TABLE rollup_1m (
            channel_id USMALLINT NOT NULL,
            bucket TIMESTAMPTZ NOT NULL,
            n BIGINT NOT NULL,
            vmin DOUBLE NOT NULL,
            vmax DOUBLE NOT NULL,
            vsum DOUBLE NOT NULL
        );
        CREATE TABLE rollup_1h AS SELECT * FROM rollup_1m LIMIT 0;
        INSERT INTO rollup_1m
            SELECT channel_id, date_trunc('minute', ts), count(*), min(value), max(value), sum(value)
            FROM samples GROUP BY ALL ORDER BY 2;
        INSERT INTO rollup_1h
            SELECT channel_id, date_trunc('hour', bucket), sum(n), min(vmin), max(vmax), sum(vsum)
            FROM rollup_1m GROUP BY ALL ORDER BY 2;
        """,
    ),
    (
        3,
        "forecasts: every forecast cycle's values and 80/95 % bands per channel",
        """
        CREATE TABLE forecasts (
            channel VARCHAR NOT NULL,
            generated_at TIMESTAMPTZ NOT NULL,
            target_ts TIMESTAMPTZ NOT NULL,
            value DOUBLE NOT NULL,
            lower_80 DOUBLE,
            upper_80 DOUBLE,
            lower_95 DOUBLE,
            upper_95 DOUBLE,
            model VARCHAR NOT NULL DEFAULT ''
        );
        """,
    ),
    (
        4,
        "alarm journal: every alarm state transition",
        """
        CREATE SEQUENCE alarm_event_seq;
        CREATE TABLE alarm_events (
            seq BIGINT NOT NULL DEFAULT nextval('alarm_event_seq'),
            ts TIMESTAMPTZ NOT NULL,
            alarm_id VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            priority VARCHAR NOT NULL,
            state VARCHAR NOT NULL,
            value DOUBLE,
            message VARCHAR NOT NULL DEFAULT '',
            comment VARCHAR NOT NULL DEFAULT ''
        );
        """,
    ),
    (
        5,
        "32-bit channel ids: 16 bits ran out at 65,535 channels",
        # DuckDB cannot change the type of a primary key in place: the channel table is rebuilt
        # (ids kept), the id columns elsewhere are widened, and the view that joins them is remade.
        """
        CREATE TABLE channels_v5 (
            id UINTEGER PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            unit VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        INSERT INTO channels_v5 SELECT id, name, unit, created_at FROM channels;
        DROP VIEW readings;
        DROP TABLE channels;
        ALTER TABLE channels_v5 RENAME TO channels;
        ALTER TABLE samples ALTER channel_id TYPE UINTEGER;
        ALTER TABLE rollup_1m ALTER channel_id TYPE UINTEGER;
        ALTER TABLE rollup_1h ALTER channel_id TYPE UINTEGER;
        CREATE VIEW readings AS
            SELECT s.ts, c.name AS channel, s.value
            FROM samples s JOIN channels c ON c.id = s.channel_id;
        """,
    ),
    (
        6,
        "forward cursors: how far each forwarder has sent readings, alarms and forecasts",
        # One row per forwarder and stream: readings are ordered by (ts, channel_id), alarms by
        # their journal seq, forecasts by generated_at; ``position`` is the tie-breaking key.
        """
        CREATE TABLE forward_cursors (
            forwarder VARCHAR NOT NULL,
            stream VARCHAR NOT NULL,
            ts_us BIGINT NOT NULL,
            position BIGINT NOT NULL DEFAULT 0,
            sent BIGINT NOT NULL DEFAULT 0,
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (forwarder, stream)
        );
        """,
    ),
    (
        7,
        "rollup_pending: live commits not yet folded into the rollups (repaired on open)",
        "CREATE TABLE rollup_pending (since TIMESTAMPTZ NOT NULL);",
    ),
    (
        8,
        "alarm journal: each message's id and parameters, so it reads in the operator's language",
        # Rows journaled before keep NULL: the window recognises their English text instead.
        """
        ALTER TABLE alarm_events ADD COLUMN message_id VARCHAR;
        ALTER TABLE alarm_events ADD COLUMN message_params VARCHAR;
        """,
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


class SchemaError(MessageError):
    """The file is not a Watchkeeper database this release can use."""


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not has_table:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Bring the file to ``target`` (normally the newest schema); return the version it had before.

    The connection's TimeZone must be UTC: rollup buckets are UTC minutes and hours.
    """
    before = current_version(con)
    if before > SCHEMA_VERSION:
        raise SchemaError(Message.of(MessageId.STORE_NEWER, found=str(before), known=str(SCHEMA_VERSION)))
    if before >= target:
        return before
    with transaction(con):
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())"
        )
        for version, description, sql in MIGRATIONS:
            if before < version <= target:
                con.execute(sql)
                con.execute(
                    "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                    [version, description],
                )
    return before
