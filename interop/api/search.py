"""Search parameters and paging for the FHIR endpoint, read strictly: a parameter Acus does not
know, one given twice that may be given once, or a malformed value is a 400 OperationOutcome
naming it (FHIR's `Prefer: handling=strict`), never a silently wider answer and never a 500."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request

from core.rest import ApiError
from interop.resources import SERVICE_SYSTEM

# Every search takes these: page size, page, and the answer's format (JSON only).
COMMON = ("_count", "_format", "page")
DEFAULT_COUNT = 50
MAX_COUNT = 200
FORMATS = {"json", "application/json", "application/fhir+json", "application/json+fhir"}
_PREFIX = re.compile(r"^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)$")
_REFERENCE = re.compile(r"^(?:(?P<kind>[A-Za-z]+)/)?(?P<id>[A-Za-z0-9\-.]{1,64})$")


def bad(name: str, message: str) -> ApiError:
    return ApiError(
        "invalid_search",
        _("This search cannot be run."),
        status_code=status.HTTP_400_BAD_REQUEST,
        fields={name: [message]},
    )


@dataclass(frozen=True)
class Range:
    """Half-open [lower, upper): a date search's bounds, either side open when None."""

    lower: datetime | None = None
    upper: datetime | None = None

    def holds(self, moment: datetime) -> bool:
        return (self.lower is None or moment >= self.lower) and (self.upper is None or moment < self.upper)


class Params:
    """The query string, checked against the names a search accepts."""

    def __init__(self, request: Request, allowed: Iterable[str], *, repeatable: Iterable[str] = ()) -> None:
        self.query = request.query_params
        allowed_names = set(allowed) | set(COMMON)
        many = set(repeatable)
        for name in self.query:
            if name not in allowed_names:
                raise bad(name, _("Acus does not support the search parameter “%(name)s”.") % {"name": name[:60]})
            values = self.query.getlist(name)
            if len(values) > 1 and name not in many:
                raise bad(name, _("Give this parameter once."))
            if any(not v.strip() for v in values):
                raise bad(name, _("This parameter has no value."))
        wanted = self.query.get("_format")
        if wanted is not None and wanted.strip().lower() not in FORMATS:
            raise bad("_format", _("Acus answers in FHIR JSON only."))
        self.count = self._count()
        self.page = self._page()

    def _count(self) -> int:
        raw = self.query.get("_count")
        if raw is None:
            return DEFAULT_COUNT
        if not raw.isdigit() or not 0 < int(raw) <= 10_000:
            raise bad("_count", _("Give a whole number of results per page, from 1."))
        return min(int(raw), MAX_COUNT)

    def _page(self) -> int:
        raw = self.query.get("page", "1")
        if not raw.isdigit() or not 0 < int(raw) <= 100_000:
            raise bad("page", _("Give a page number from 1."))
        return int(raw)

    def get(self, name: str) -> str | None:
        value = self.query.get(name)
        return value.strip() if value is not None else None

    def ids(self, name: str, parse: Callable[[str], Any] = lambda v: int(v) if v.isdigit() else None) -> list[Any]:
        """A token list ("a,b,c" means any of them); `parse` turns each into what Acus looks up,
        None for a value that cannot name anything here (then nothing matches it)."""
        raw = self.get(name)
        if raw is None:
            return []
        values = [v.strip() for v in raw.split(",")]
        if any(not v or len(v) > 64 for v in values):
            raise bad(name, _("This parameter has an empty or overlong value."))
        return [parse(v) for v in values]

    def reference(self, name: str, kinds: Sequence[str]) -> tuple[str, str] | None:
        """(kind, id) of a reference parameter: "Practitioner/12", or a bare id when one kind fits."""
        raw = self.get(name)
        if raw is None:
            return None
        found = _REFERENCE.match(raw)
        if not found:
            raise bad(name, _("Give a reference such as %(example)s.") % {"example": f"{kinds[0]}/1"})
        kind = found["kind"] or (kinds[0] if len(kinds) == 1 else "")
        if kind not in kinds:
            raise bad(name, _("This parameter refers to one of: %(kinds)s.") % {"kinds": ", ".join(kinds)})
        return kind, found["id"]

    def service_types(self, name: str = "service-type") -> list[int | None]:
        """Treatments named by code, with Acus's system or none."""

        def code(value: str) -> int | None:
            system, bar, value_code = value.rpartition("|")
            if bar and system and system != SERVICE_SYSTEM:
                return None
            return int(value_code) if value_code.isdigit() and len(value_code) <= 12 else None

        return self.ids(name, code)

    def boolean(self, name: str) -> bool | None:
        raw = self.get(name)
        if raw is None:
            return None
        if raw not in ("true", "false"):
            raise bad(name, _("Give true or false."))
        return raw == "true"

    def dates(self, name: str) -> Range:
        """Every `name=<prefix><date or dateTime>` narrows the range (FHIR ANDs repeats)."""
        lower: datetime | None = None
        upper: datetime | None = None
        for raw in self.query.getlist(name):
            # An unencoded "+01:00" arrives as " 01:00".
            found = _PREFIX.match(raw.strip().replace(" ", "+"))
            if not found:
                raise bad(name, _("Give a date or a time with its zone, e.g. ge2025-03-04 or lt2025-03-04T18:00:00Z."))
            start, end = _period(name, found[2])
            prefix = found[1] or "eq"
            if prefix in ("ge", "eq"):
                lower = max(lower, start) if lower else start
            if prefix == "gt":
                lower = max(lower, end) if lower else end
            if prefix == "lt":
                upper = min(upper, start) if upper else start
            if prefix in ("le", "eq"):
                upper = min(upper, end) if upper else end
        return Range(lower, upper)


def _period(name: str, value: str) -> tuple[datetime, datetime]:
    """The instants a date or dateTime covers: a whole (UTC) day, or one second (to the given precision)."""
    try:
        if "T" not in value:
            day = date.fromisoformat(value)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start, start + timedelta(days=1)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad(name, _("This is not a real date or time.")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # FHIR leaves a zoneless time to the server: Acus reads UTC
    return moment, moment + timedelta(seconds=1)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    links: list[tuple[str, str]]


def paginate(request: Request, params: Params, items: Sequence[Any] | QuerySet[Any], total: int | None = None) -> Page:
    """One page of `items` (a list or a queryset) and the self/next/previous links that walk them."""
    total = len(items) if total is None else total
    start = (params.page - 1) * params.count
    chosen = list(items[start : start + params.count])
    base = request.build_absolute_uri(request.path)
    query = [(k, v) for k in request.query_params for v in request.query_params.getlist(k) if k != "page"]

    def at(page: int) -> str:
        return f"{base}?{urlencode([*query, ('page', str(page))])}"

    links = [("self", at(params.page))]
    if start + params.count < total:
        links.append(("next", at(params.page + 1)))
    if params.page > 1:
        links.append(("previous", at(min(params.page - 1, max(1, -(-total // params.count))))))
    return Page(chosen, total, links)
