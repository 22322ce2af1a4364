"""The secret calendar feed: its settings page, rotation, revocation, and the feed itself.

The feed address is shown once, right after it is made: only its hash is kept.
The feed itself needs no sign-in (calendar apps cannot sign in), so it is reached
by that secret alone, and carries initials and appointment types only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_verified_required
from core.language import supported
from workspace import feed
from workspace import services as staff_services
from workspace.selectors import visibility
from workspace.views.base import page, user_of

SESSION_FEED_URL = "staff_feed_url_once"


@staff_verified_required
@require_GET
@never_cache
def feed_settings(request: HttpRequest) -> HttpResponse:
    practitioner = visibility.practitioner_of(user_of(request))
    context = {"practitioner": practitioner, "new_url": request.session.pop(SESSION_FEED_URL, None)}
    return page(request, "workspace/feed.html", "feed", context)


@staff_verified_required
@require_POST
def feed_rotate(request: HttpRequest) -> HttpResponse:
    practitioner = visibility.practitioner_of(user_of(request))
    if practitioner is None:
        raise Http404("Only practitioners have a calendar feed")
    token = staff_services.rotate_feed_token(practitioner, actor=user_of(request))
    # The public address (as in emails), not this request's host, which a proxy may hide.
    request.session[SESSION_FEED_URL] = settings.SITE_URL + reverse("staff:feed-ics", args=[token])
    messages.success(request, _("Your new feed address is ready. Any older address has stopped working."))
    return redirect("staff:feed")


@staff_verified_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    practitioner = visibility.practitioner_of(user_of(request))
    if practitioner is None:
        raise Http404("Only practitioners have a calendar feed")
    staff_services.revoke_feed_token(practitioner, actor=user_of(request))
    messages.success(request, _("The calendar feed is turned off. Calendars subscribed to it will stop updating."))
    return redirect("staff:feed")


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    practitioner = feed.practitioner_for_token(token)
    if practitioner is None:
        raise Http404("Unknown or revoked feed")
    # The feed is read without signing in: it speaks the practitioner's own language.
    with translation.override(supported(practitioner.user.language)):
        body = feed.feed_calendar(practitioner, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="acus.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
