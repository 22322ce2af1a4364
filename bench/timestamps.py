"""Reading timestamptz values: psycopg's own loader against Django's (issue 22, fifth pass).

    .venv/bin/python -m bench.timestamps [--rows 86400] [--repeat 5]

Reads `--rows` timestamptz values (a second apart) through the bench database's Django
connection, whose loader core/postgres/base.py makes psycopg's own (its C one with
psycopg[binary]), then through the same connection with Django's loader registered on the
cursor, as Django's stock backend has it: a subclass of psycopg's pure-Python loader that
parses each value with a regular expression. Prints the best of `--repeat` runs as CPU
microseconds a value, and checks both read the same aware UTC datetimes.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC
from typing import Any

from bench.common import setup_django, write_result

# A fixed start, with a fraction of a second, across London's spring DST change: the same rows
# for both loaders.
SQL = (
    "SELECT g FROM generate_series('2026-03-28 12:00:00.250+00'::timestamptz, "
    "'2026-03-28 12:00:00.250+00'::timestamptz + make_interval(secs => %s), interval '1 second') AS g"
)


def read(cursor: Any, rows: int) -> tuple[float, list[Any]]:
    cursor.execute(SQL, [rows - 1])
    began = time.process_time()
    found = cursor.fetchall()
    return time.process_time() - began, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=86_400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    results: dict[str, float] = {}
    values: dict[str, list[Any]] = {}
    connection.ensure_connection()
    for name in ("psycopg's loader (Acus)", "Django's loader (stock backend)"):
        best = float("inf")
        for _ in range(args.repeat):
            with connection.cursor() as wrapper:
                if name.startswith("Django"):
                    register_tzloader(connection.timezone, wrapper.cursor)
                seconds, found = read(wrapper, args.rows)
            best = min(best, seconds)
        results[name] = round(1e6 * best / args.rows, 2)
        values[name] = [row[0] for row in found]
        print(f"{name:34s} {results[name]:6.2f} us a value ({args.rows} values, best of {args.repeat})")
    ours, stock = values.values()
    if len(ours) != len(stock) or any(
        a != b or a.tzinfo is not UTC or b.tzinfo is not UTC for a, b in zip(ours, stock, strict=True)
    ):
        print("the two loaders read different values")
        return 1
    print("both read the same aware UTC datetimes")
    write_result("timestamps", {"rows": args.rows, "repeat": args.repeat, "us_per_value": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
