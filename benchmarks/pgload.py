"""Loading generated rows into PostgreSQL fast: COPY (binary from numpy, or text), with a table's indexes and
constraints dropped for the load and recreated from their own definitions afterwards.

Used by near_duplicates.py and field_reuse.py (benchmarks/ is on sys.path when a script runs).
"""

from __future__ import annotations

import contextlib

import numpy as np

_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
_TRAILER = b"\xff\xff"


def binary_rows(columns: list[tuple[str, np.ndarray]]) -> np.ndarray:
    """Rows of COPY's binary format from equal-length columns: int64 arrays, or (n, k) uint8 arrays as bytea.

    Each row is the field count, then each field's length and big-endian value.
    """
    n = len(columns[0][1])
    fields = [("count", ">i2")]
    for name, values in columns:
        size = values.shape[1] if values.ndim == 2 else 8
        fields += [(f"{name}_len", ">i4"), (name, f"V{size}" if values.ndim == 2 else ">i8")]
    rows = np.empty(n, dtype=np.dtype(fields))
    rows["count"] = len(columns)
    for name, values in columns:
        if values.ndim == 2:
            rows[f"{name}_len"] = values.shape[1]
            rows[name] = np.ascontiguousarray(values, dtype=np.uint8).view(f"V{values.shape[1]}").ravel()
        else:
            rows[f"{name}_len"] = 8
            rows[name] = values
    return rows


def copy_binary(conn, table: str, column_names: list[str], rows: np.ndarray, chunk: int = 1 << 20) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(column_names)}) FROM STDIN WITH (FORMAT BINARY)"
                                        ) as copy:
        copy.write(_HEADER)
        for lo in range(0, len(rows), chunk):
            copy.write(rows[lo:lo + chunk].tobytes())
        copy.write(_TRAILER)


def copy_text(conn, table: str, column_names: list[str], lines) -> None:
    """COPY in text format from an iterable of ready tab-separated lines (each ending in a new line)."""
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(column_names)}) FROM STDIN") as copy:
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) >= 50_000:
                copy.write("".join(batch))
                batch = []
        if batch:
            copy.write("".join(batch))


@contextlib.contextmanager
def without_indexes(conn, table: str, *, keep_primary_key: bool = False):
    """Drop the table's constraints (the primary key too, unless other tables refer to it) and indexes for a bulk
    load; recreate them after from their own definitions: the primary key first, then the other indexes, then the
    unique constraints and foreign keys."""
    kinds = ("f", "u") if keep_primary_key else ("p", "f", "u")
    with conn.cursor() as cur:
        cur.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = ANY(%s)", [table, list(kinds)])
        constraints = cur.fetchall()
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
        indexes = cur.fetchall()
        for name, _type, _definition in sorted(constraints, key=lambda c: c[1] != "f"):  # foreign keys first
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    conn.commit()
    yield
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem TO '1GB'")
        ordered = sorted(constraints, key=lambda c: "puf".index(c[1]))
        for name, _type, definition in [c for c in ordered if c[1] == "p"]:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cur.execute(definition)
        for name, _type, definition in [c for c in ordered if c[1] != "p"]:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    conn.commit()
