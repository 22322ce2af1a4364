"""bench.load --spy: py-spy's raw stacks read into each frame's share of the CPU samples."""

from __future__ import annotations

from pathlib import Path

from bench.load.spy import frame_name, summarize

RAW = (
    'process 10:"gunicorn";run (gunicorn/app/base.py:72);handle (gunicorn/workers/sync.py:135);'
    "get (booking/api/catalogue.py:60);execute (django/db/backends/utils.py:79) 6\n"
    'process 10:"gunicorn";run (gunicorn/app/base.py:72);handle (gunicorn/workers/sync.py:135);'
    "get (booking/api/catalogue.py:61) 3\n"
    'process 11:"gunicorn";run (gunicorn/app/base.py:72);accept (gunicorn/workers/sync.py:20) 1\n'
    "a line py-spy never writes\n"
)


def test_a_frame_loses_its_line_number_so_lines_of_one_function_add_up() -> None:
    assert frame_name("get (booking/api/catalogue.py:60)") == "get (booking/api/catalogue.py)"
    assert frame_name('process 10:"gunicorn"') == 'process 10:"gunicorn"'


def test_shares_count_each_frame_once_per_stack_and_the_leaf_as_self(tmp_path: Path) -> None:
    raw = tmp_path / "spy.txt"
    raw.write_text(RAW)
    summary = summarize(raw)
    assert summary["samples"] == 10
    inclusive = summary["inclusive_percent"]
    assert isinstance(inclusive, dict)
    assert inclusive["run (gunicorn/app/base.py)"] == 100.0
    assert inclusive["get (booking/api/catalogue.py)"] == 90.0  # lines 60 and 61: one function
    assert inclusive["execute (django/db/backends/utils.py)"] == 60.0
    own = summary["self_percent"]
    assert isinstance(own, dict)
    assert own == {
        "execute (django/db/backends/utils.py)": 60.0,
        "get (booking/api/catalogue.py)": 30.0,
        "accept (gunicorn/workers/sync.py)": 10.0,
    }
