""".ci/system-packages asks apt only for what is missing, and what it asks for resolves here.

The plan looks with `command -v` and file tests only, so each test gives it a PATH of its own:
a folder of stand-in programs for what the imagined machine has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.resources import need

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "system-packages"
EVERYTHING = (
    "make",
    "chromium",
    "node",
    "npm",
    "xgettext",
    "pg_isready",
    "pg_ctlcluster",
    "redis-server",
    "redis-cli",
    "pgbouncer",
)


def plan(tmp_path: Path, *, has: tuple[str, ...], font: bool = True, sbin_pgbouncer: bool = False) -> list[str]:
    """The packages the script would install on a machine that has only `has` on its PATH
    (and, with `sbin_pgbouncer`, Debian's pgbouncer in an sbin folder off the PATH)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in has:
        stand_in = bin_dir / name
        stand_in.write_text("#!/bin/sh\nexit 0\n")
        stand_in.chmod(0o755)
    font_file = tmp_path / "DejaVuSans.ttf"
    if font:
        font_file.write_text("")
    sbin = tmp_path / "sbin"
    sbin.mkdir(exist_ok=True)
    if sbin_pgbouncer:
        (sbin / "pgbouncer").write_text("#!/bin/sh\nexit 0\n")
        (sbin / "pgbouncer").chmod(0o755)
    env = {"PATH": str(bin_dir), "DEJAVU_FONT": str(font_file), "PGBOUNCER_BIN": str(sbin / "pgbouncer")}
    result = subprocess.run(
        [shutil.which("bash") or "/bin/bash", str(SCRIPT), "plan"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "found" in result.stderr or "missing" in result.stderr  # it says what it saw
    return result.stdout.split()


def test_it_asks_for_nothing_when_every_need_is_met(tmp_path: Path) -> None:
    assert plan(tmp_path, has=EVERYTHING) == []


def test_it_asks_for_chromium_alone_when_only_chromium_is_missing(tmp_path: Path) -> None:
    wanted = plan(tmp_path, has=tuple(n for n in EVERYTHING if n != "chromium"))

    assert wanted == ["chromium"]


def test_it_never_asks_for_debians_nodejs_or_npm_over_an_existing_node(tmp_path: Path) -> None:
    # NodeSource's nodejs bundles npm, and Debian's npm conflicts with it: asking for both
    # made apt refuse the whole install (issue 14).
    has = ("make", "node", "npm", "xgettext", "pg_isready", "pg_ctlcluster", "redis-cli", "pgbouncer")
    wanted = plan(tmp_path, has=has)

    assert set(wanted) == {"chromium", "redis-server"}


def test_it_asks_for_nodejs_and_npm_only_when_node_is_missing(tmp_path: Path) -> None:
    wanted = plan(tmp_path, has=tuple(n for n in EVERYTHING if n not in {"node", "npm"}))

    assert set(wanted) == {"nodejs", "npm"}


def test_it_asks_for_npm_alone_beside_a_node_that_came_without_it(tmp_path: Path) -> None:
    wanted = plan(tmp_path, has=tuple(n for n in EVERYTHING if n != "npm"))

    assert wanted == ["npm"]


def test_it_asks_for_gettext_alone_when_xgettext_is_missing(tmp_path: Path) -> None:
    # make messages and the catalogue tests extract strings with xgettext; compiling needs no gettext.
    wanted = plan(tmp_path, has=tuple(n for n in EVERYTHING if n != "xgettext"))

    assert wanted == ["gettext"]


def test_it_asks_for_the_fonts_when_the_dejavu_font_is_missing(tmp_path: Path) -> None:
    wanted = plan(tmp_path, has=EVERYTHING, font=False)

    assert wanted == ["fonts-dejavu-core"]


def test_it_asks_for_pgbouncer_alone_when_pgbouncer_is_missing(tmp_path: Path) -> None:
    wanted = plan(tmp_path, has=tuple(n for n in EVERYTHING if n != "pgbouncer"))

    assert wanted == ["pgbouncer"]


def test_it_finds_debians_pgbouncer_in_sbin_off_the_path(tmp_path: Path) -> None:
    # A non-root PATH often lacks /usr/sbin, where the package puts it: installing again would
    # change nothing.
    wanted = plan(tmp_path, has=tuple(n for n in EVERYTHING if n != "pgbouncer"), sbin_pgbouncer=True)

    assert wanted == []


def test_it_names_each_package_once(tmp_path: Path) -> None:
    wanted = plan(tmp_path, has=(), font=False)

    assert len(wanted) == len(set(wanted))
    assert set(wanted) == {
        "make",
        "chromium",
        "fonts-dejavu-core",
        "nodejs",
        "npm",
        "gettext",
        "postgresql-client",
        "postgresql",
        "redis-server",
        "redis-tools",
        "pgbouncer",
    }


def test_what_it_would_install_here_without_chromium_resolves_in_apt(tmp_path: Path) -> None:
    """The worst case on this very machine: everything it has, but no Chromium. The package set
    must resolve with `apt-get -s` (a dry run that changes nothing)."""
    apt_get = shutil.which("apt-get")
    need(apt_get is not None, "apt-get (Debian)")
    assert apt_get is not None
    here = tuple(name for name in EVERYTHING if name != "chromium" and shutil.which(name))
    wanted = plan(tmp_path, has=here, font=Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists())
    assert "chromium" in wanted

    result = subprocess.run(
        [apt_get, "-s", "install", "-y", "--no-install-recommends", *wanted],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        check=False,
    )

    assert result.returncode == 0, f"apt-get -s install {' '.join(wanted)}:\n{result.stdout}{result.stderr}"
