"""A practitioner's own calendars: connect a CalDAV account or an ICS address, see each one's
sync state, and on its page choose the account's calendar, write visits there or not, pause,
test, sync now, rename and remove. A clinic admin sees the state of their clinics'
practitioners' connections (no actions: the calendars are the practitioners').

Who sees what: a practitioner sees only their own connections; any other id is a 404.
The password and the ICS address are never shown back: the password field has no value, and a
refused ICS form keeps the address only in the field it was typed into. Every action is a POST
that redirects (PRG) with a message."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_verified_required
from accounts.models import User
from calendars import net
from calendars.models import Connection
from calendars.services import connections as services
from workspace.forms_calendars import CaldavForm, ChooseForm, IcsForm, RenameForm
from workspace.selectors import calendar_connections as selectors
from workspace.selectors import visibility
from workspace.views.base import page, user_of


def _practitioner(request: HttpRequest) -> Any:
    practitioner = visibility.practitioner_of(user_of(request))
    if practitioner is None:
        raise Http404("Only practitioners connect calendars")
    return practitioner


def _list(
    request: HttpRequest, *, caldav: Form | None = None, ics: Form | None = None, status: int = 200
) -> HttpResponse:
    user = user_of(request)
    connections = list(selectors.own_connections(user))
    context = {
        "practitioner": visibility.practitioner_of(user),
        "rows": selectors.rows_of(connections, now=timezone.now()),
        "caldav_form": caldav or CaldavForm(prefix="caldav"),
        "ics_form": ics or IcsForm(prefix="ics"),
        "is_admin": user.role == User.Role.CLINIC_ADMIN,
    }
    return page(request, "workspace/calendars/list.html", "calendars", context, status=status)


FORMS: dict[str, type[Form]] = {"caldav": CaldavForm, "ics": IcsForm}


def _add_errors(form: Form, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@staff_verified_required
@require_GET
@never_cache
def calendars(request: HttpRequest) -> HttpResponse:
    return _list(request)


def _connect(request: HttpRequest, kind: str, connect: Callable[..., Connection], done: str) -> HttpResponse:
    """Both ways in (a CalDAV account, an ICS address): the form, the service, PRG or the list
    again with the form's errors beside its fields."""
    practitioner = _practitioner(request)
    form = FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            connection = connect(practitioner=practitioner, actor=user_of(request), **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("staff:calendar", pk=connection.pk)
    return _list(request, status=400, **{kind: form})


@staff_verified_required
@require_POST
def connect_caldav(request: HttpRequest) -> HttpResponse:
    return _connect(
        request, "caldav", services.connect_caldav, _("Calendar connected. Acus is reading its busy times now.")
    )


@staff_verified_required
@require_POST
def connect_ics(request: HttpRequest) -> HttpResponse:
    return _connect(
        request, "ics", services.connect_ics, _("Calendar address added. Acus is reading its busy times now.")
    )


def _key(url: str) -> str:
    """A calendar's address on the page, without the address: it often holds the username."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _choices(connection: Connection) -> tuple[list[tuple[str, str]], dict[str, str], str]:
    """The account's calendars as (key, name) choices, key -> address, and the words for a
    failure to list them."""
    if connection.kind != Connection.Kind.CALDAV:
        return [], {}, ""
    try:
        found = services.available_calendars(connection=connection)
    except net.FetchError as exc:
        return [], {}, services.failure_message(exc.failure)
    return [(_key(c.url), c.name or _("Unnamed calendar")) for c in found], {_key(c.url): c.url for c in found}, ""


def _detail(
    request: HttpRequest, connection: Connection, *, rename: Form | None = None, status: int = 200
) -> HttpResponse:
    # The account's calendars are listed only when asked: listing asks the practitioner's server,
    # and the page must not wait on it (up to CALENDAR_FETCH_SECONDS while it is down).
    listing = request.GET.get("calendars") == "1"
    choices, _urls, listing_failure = _choices(connection) if listing else ([], {}, "")
    current = _key(services.current_calendar_url(connection)) if choices else ""
    context = {
        "row": selectors.row_of(connection, now=timezone.now()),
        "connection": connection,
        "choose_form": ChooseForm(calendars=choices, initial={"calendar_url": current}) if choices else None,
        "listing": listing,
        "listing_failure": listing_failure,
        "rename_form": rename or RenameForm(initial={"name": connection.name}),
    }
    return page(request, "workspace/calendars/detail.html", "calendars", context, status=status)


@staff_verified_required
@require_GET
@never_cache
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.own_connection(user_of(request), pk))


@staff_verified_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    _listed, urls, listing_failure = _choices(connection)
    url = urls.get(request.POST.get("calendar_url", ""))
    if url is None:
        messages.error(request, listing_failure or _("Choose one of the calendars in the list."))
        return redirect("staff:calendar", pk=pk)
    try:
        # A new connection when the old calendar held Acus's visits: its page is the new one's.
        connection = services.choose_calendar(connection=connection, calendar_url=url, actor=user_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Calendar chosen. Acus is reading its busy times now."))
    return redirect("staff:calendar", pk=connection.pk)


@staff_verified_required
@require_POST
def write_visits(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    write = request.POST.get("write") == "on"
    try:
        services.set_write_target(connection=connection, write=write, actor=user_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        if write:
            messages.success(request, _("Your Acus visits will be written to this calendar."))
        else:
            messages.success(request, _("Acus no longer writes your visits to this calendar."))
    return redirect("staff:calendar", pk=pk)


@staff_verified_required
@require_POST
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    paused = request.POST.get("paused") == "on"
    services.set_paused(connection=connection, paused=paused, actor=user_of(request))
    if paused:
        messages.success(request, _("Paused. Its busy times no longer block your bookable times."))
    else:
        messages.success(request, _("Resumed. Acus is reading its busy times now."))
    return redirect("staff:calendar", pk=pk)


@staff_verified_required
@require_POST
def test(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    ok, _failure, detail = services.test_connection(connection=connection, actor=user_of(request))
    (messages.success if ok else messages.error)(request, detail)
    return redirect("staff:calendar", pk=pk)


@staff_verified_required
@require_POST
def sync(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    if connection.paused:
        messages.error(request, _("Resume the calendar first: a paused calendar is not synced."))
    else:
        services.queue_sync(connection.pk)
        messages.success(request, _("Sync asked for. Reload this page in a minute to see the result."))
    return redirect("staff:calendar", pk=pk)


@staff_verified_required
@require_POST
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.rename(connection=connection, name=form.cleaned_data["name"], actor=user_of(request))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Name saved."))
            return redirect("staff:calendar", pk=pk)
    return _detail(request, connection, rename=form, status=400)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.own_connection(user_of(request), pk)
    if request.method == "POST":
        services.remove_connection(connection=connection, actor=user_of(request))
        removed = _(
            "Calendar removed. Its busy times no longer block bookings; any Acus visits in it are being taken out."
        )
        messages.success(request, removed)
        return redirect("staff:calendars")
    return page(request, "workspace/calendars/remove.html", "calendars", {"connection": connection})


@staff_verified_required
@require_GET
@never_cache
def clinic(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user.role != User.Role.CLINIC_ADMIN:
        raise Http404("For clinic admins")
    people = selectors.clinic_people(user, now=timezone.now())
    return page(request, "workspace/calendars/clinic.html", "calendars_clinic", {"people": people})
