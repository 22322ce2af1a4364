"""Read-only admin for signed consents and their audit. Nobody may add, change or delete
here (PostgreSQL would refuse anyway); opening a signed consent writes an access-log
row (channel "admin") in the transaction that reads it."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accounts.models import User
from consent.models import ChainVerification, ConsentAccessLog, ConsentExport, SignedConsent
from consent.services import log_access

_M = TypeVar("_M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _scopes(request: HttpRequest) -> list[str] | None:
    """The clinic slugs a non-superuser administers (None: all). The relation is booking's,
    reached by name so that consent never imports booking."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return None
    clinics = getattr(user, "administered_clinics", None)
    return list(clinics.values_list("slug", flat=True)) if clinics is not None else []


@admin.register(SignedConsent)
class SignedConsentAdmin(ReadOnlyAdmin[SignedConsent]):
    list_display = ["id", "signed_at", "scope", "typed_name", "signer_role", "form_version", "sequence"]
    list_filter = ["scope", "signer_role"]
    search_fields = ["patient__legal_name", "patient__user__email"]
    list_select_related = ["form_version"]
    show_full_result_count = False  # a COUNT over every consent on each page is wasted work

    def get_queryset(self, request: HttpRequest) -> QuerySet[SignedConsent]:
        scopes = _scopes(request)
        queryset = super().get_queryset(request)
        return queryset if scopes is None else queryset.filter(scope__in=scopes)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with transaction.atomic():
            consent = self.get_object(request, unquote(object_id))
            if consent is not None and request.method == "GET" and self.has_view_permission(request, consent):
                assert isinstance(request.user, User)
                log_access(
                    consent,
                    user=request.user,
                    action=ConsentAccessLog.Action.VIEW,
                    channel="admin",
                    ip_address=request.META.get("REMOTE_ADDR"),
                )
            response = super().change_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()  # read and shown inside the transaction that logged it
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(ConsentAccessLog)
class ConsentAccessLogAdmin(ReadOnlyAdmin[ConsentAccessLog]):
    list_display = ["at", "user", "role", "action", "channel", "consent", "ip_address"]
    list_filter = ["action", "channel", "role"]
    search_fields = ["user__email"]
    list_select_related = ["user", "consent"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ConsentAccessLog]:
        scopes = _scopes(request)
        queryset = super().get_queryset(request)
        return queryset if scopes is None else queryset.filter(consent__scope__in=scopes)


@admin.register(ConsentExport)
class ConsentExportAdmin(ReadOnlyAdmin[ConsentExport]):
    list_display = ["at", "user", "format", "channel", "include_health_answers", "consent_count"]
    list_filter = ["format", "include_health_answers"]
    list_select_related = ["user"]


@admin.register(ChainVerification)
class ChainVerificationAdmin(ReadOnlyAdmin[ChainVerification]):
    list_display = ["finished_at", "trigger", "by", "checked", "ok", "broken_consent_id"]
    list_filter = ["ok", "trigger"]
