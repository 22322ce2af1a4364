"""Drawn signatures: accept a small, plain SVG of strokes and rebuild it from scratch.

A signature is shown to auditors inside our pages, so anything that could run
(scripts, event handlers, links, styles, foreign objects) must never survive.
Rather than strip the bad, we parse with defusedxml (no entity tricks) and
write a new SVG holding only the stroke geometry we understand."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_BYTES = 100_000
MAX_SHAPES = 2_000
SVG_NS = "http://www.w3.org/2000/svg"
_PATH_DATA = re.compile(r"^[MmLlHhVvCcSsQqTtZz0-9eE.,+\-\s]{1,20000}$")
_POINTS = re.compile(r"^[0-9eE.,+\-\s]{1,20000}$")
_NUMBER = re.compile(r"^[0-9]{1,5}(\.[0-9]{1,3})?$")
_VIEWBOX = re.compile(r"^-?[0-9.]+( -?[0-9.]+){3}$")
_ROOT_ATTRIBUTES = {"width", "height", "viewBox", "version", "fill", "stroke", "stroke-width"}
_SHAPE_ATTRIBUTES = {"d", "points", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"}


class SignatureInvalid(ValueError):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def clean_signature_svg(raw: str) -> str:
    """Return a rebuilt, safe SVG, or raise SignatureInvalid with a plain reason."""
    if len(raw.encode()) > MAX_BYTES:
        raise SignatureInvalid(f"The drawn signature is too large (over {MAX_BYTES // 1000} KB).")
    try:
        root = ElementTree.fromstring(raw, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise SignatureInvalid("The drawn signature is not a valid SVG image.") from None
    if _local(root.tag) != "svg":
        raise SignatureInvalid("The drawn signature must be an SVG image.")
    shapes = list(root.iter())[1:]
    if len(shapes) > MAX_SHAPES:
        raise SignatureInvalid("The drawn signature has too many strokes.")
    out = [f'<svg xmlns="{SVG_NS}"{_size_attributes(root)}>']
    for element in shapes:
        out.append(_clean_shape(element))
    out.append("</svg>")
    return "".join(part for part in out if part)


def _size_attributes(root: Element) -> str:
    _refuse_unknown_attributes(root, _ROOT_ATTRIBUTES)
    attrs = ""
    for name in ("width", "height"):
        value = root.get(name)
        if value is not None:
            if not _NUMBER.match(value):
                raise SignatureInvalid("The drawn signature has an invalid size.")
            attrs += f' {name}="{value}"'
    view_box = root.get("viewBox")
    if view_box is not None:
        if not _VIEWBOX.match(view_box.strip()):
            raise SignatureInvalid("The drawn signature has an invalid viewBox.")
        attrs += f' viewBox="{view_box.strip()}"'
    return attrs


def _refuse_unknown_attributes(element: Element, allowed: set[str]) -> None:
    # Event handlers (onload=...), links (href) and styles are how an SVG runs code.
    unknown = {_local(name) for name in element.attrib} - allowed
    if unknown:
        raise SignatureInvalid("The drawn signature contains something other than strokes.")


def _clean_shape(element: Element) -> str:
    tag = _local(element.tag)
    _refuse_unknown_attributes(element, _SHAPE_ATTRIBUTES)
    if tag == "title":
        return ""
    if tag == "path":
        data = element.get("d", "")
        if not _PATH_DATA.match(data):
            raise SignatureInvalid("The drawn signature contains something other than strokes.")
        return f'<path d="{data}" fill="none" stroke="#000" stroke-width="2" stroke-linecap="round"/>'
    if tag == "polyline":
        points = element.get("points", "")
        if not _POINTS.match(points):
            raise SignatureInvalid("The drawn signature contains something other than strokes.")
        return f'<polyline points="{points}" fill="none" stroke="#000" stroke-width="2" stroke-linecap="round"/>'
    if tag == "g":
        return ""  # grouping carries no geometry; its children are visited on their own
    raise SignatureInvalid("The drawn signature contains something other than strokes.")
