"""The stylesheets say start and end, never left and right: a page with dir="rtl" then mirrors
itself (tests/browser/test_right_to_left.py walks the patient pages that way).

margin-inline-start, not margin-left; inset-inline-end, not right; text-align: start;
float: inline-start; border-start-end-radius; and no four-value margin, padding, inset or
border shorthand (nor a border-radius) that differs between its left and right sides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STYLESHEETS = sorted((ROOT / "static" / "css").glob("*.css"))

# Declarations that are physical on purpose, with the reason.
ON_PURPOSE = {
    # The tick drawn in a checked box: its right and bottom borders, turned 45 degrees. A tick is
    # not mirrored in right-to-left text, so it stays physical.
    "border-width: 0 0.2rem 0.2rem 0",
}

COMMENT = re.compile(r"/\*.*?\*/", re.S)
BLOCK = re.compile(r"\{([^{}]*)\}")  # innermost braces: a rule's declarations, inside @media too
PHYSICAL_NAME = re.compile(r"(^|-)(left|right)(-|$)")
PHYSICAL_WORD = re.compile(r"\b(left|right)\b")
SIDES = re.compile(r"^(margin|padding|inset|scroll-margin|scroll-padding|border-(width|style|color))$")


def declarations(css: str) -> list[tuple[str, str]]:
    found = []
    for block in BLOCK.findall(COMMENT.sub("", css)):
        for declaration in block.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                found.append((name.strip().lower(), " ".join(value.split())))
    return found


def uneven_sides(name: str, value: str) -> bool:
    """A shorthand whose left and right values differ (or, for a radius, whose corners do)."""
    if SIDES.match(name):
        parts = value.replace("!important", "").split()
        return len(parts) == 4 and parts[1] != parts[3]
    if name == "border-radius":
        for axis in value.split("/"):
            parts = axis.split()
            # top-left, top-right, bottom-right, bottom-left; a missing one repeats its opposite corner
            top_left = parts[0]
            top_right = parts[1] if len(parts) > 1 else top_left
            bottom_right = parts[2] if len(parts) > 2 else top_left
            bottom_left = parts[3] if len(parts) > 3 else top_right
            if top_left != top_right or bottom_right != bottom_left:
                return True
    return False


def physical(css: str) -> list[str]:
    return [
        f"{name}: {value}"
        for name, value in declarations(css)
        if f"{name}: {value}" not in ON_PURPOSE
        and not name.startswith("--")  # a custom property's name and value are only words until used
        and (PHYSICAL_NAME.search(name) or PHYSICAL_WORD.search(value) or uneven_sides(name, value))
    ]


def test_there_are_stylesheets_to_check() -> None:
    assert {path.name for path in STYLESHEETS} >= {"acus.css", "staff.css", "audit.css"}


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_a_stylesheet_uses_logical_directions_only(path: Path) -> None:
    assert physical(path.read_text()) == []


def test_it_finds_each_kind_of_physical_direction() -> None:
    css = """
    .a { margin-left: 1rem; padding-right: 0; border-left: 4px solid; border-right-color: red; }
    .b { left: 0; right: 1rem; border-top-left-radius: 2px; scroll-margin-right: 1rem; }
    @media (min-width: 40rem) { .c { text-align: right; float: left; clear: right; } }
    .d { margin: 0 1rem 0 2rem; padding: 1px 2px 3px 4px; border-radius: 1rem 0; inset: 0 auto 0 1rem; }
    /* a comment about margin-left: 1rem is not a declaration */
    """
    assert physical(css) == [
        "margin-left: 1rem",
        "padding-right: 0",
        "border-left: 4px solid",
        "border-right-color: red",
        "left: 0",
        "right: 1rem",
        "border-top-left-radius: 2px",
        "scroll-margin-right: 1rem",
        "text-align: right",
        "float: left",
        "clear: right",
        "margin: 0 1rem 0 2rem",
        "padding: 1px 2px 3px 4px",
        "border-radius: 1rem 0",
        "inset: 0 auto 0 1rem",
    ]


def test_it_lets_logical_and_even_declarations_through() -> None:
    css = """
    .a { margin-inline-start: 1rem; padding-inline: 0 1rem; border-inline-start: 4px solid; }
    .b { inset-inline-end: 0; text-align: start; float: inline-start; border-start-end-radius: 2px; }
    .c { margin: 0 auto; padding: 0.5rem 1rem 0; border-radius: 50%; inset: 0; border-width: 1px 2px 3px 2px; }
    .d { --left-over: 1; top: 0; bottom: 1rem; margin-top: 1rem; }
    """
    assert physical(css) == []
