"""Read-only admin for published documents, signed consents and their audit. Nobody may
add, change or delete here (PostgreSQL would refuse anyway); opening a signed consent
writes an access-log row (channel "admin") in the transaction that reads it. A new
consent form or questionnaire version is published from its list ("Publish a new
version", consent/admin_publish.py), never by editing one."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consent import admin_publish, admin_translations
from consent.admin_scopes import ReadOnlyAdmin, runs_a_clinic, scopes_of
from consent.models import (
    ChainVerification,
    ConsentAccessLog,
    ConsentExport,
    ConsentFormVersion,
    QuestionnaireVersion,
    SignedConsent,
)
from consent.services import log_access
from core.addresses import client_ip

_M = TypeVar("_M", bound=Model)
_D = TypeVar("_D", ConsentFormVersion, QuestionnaireVersion)


class DocumentVersionAdmin(ReadOnlyAdmin[_D]):
    """Published versions, newest first, for the clinics the user administers. Clinic
    admins see them without model permissions: the role and Clinic.admins decide."""

    kind: admin_publish.Kind
    list_display = ["title", "scope", "version", "material", "published_at", "published_by", "short_hash"]
    list_filter = ["scope", "material"]
    ordering = ["scope", "-version"]
    show_full_result_count = False
    change_list_template = "admin/consent/version_change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[_D]:
        scopes = scopes_of(request)
        queryset = super().get_queryset(request)
        if scopes is not None:
            queryset = queryset.filter(scope__in=scopes)
        return queryset.annotate(published_by_email=_published_by(self.model))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or runs_a_clinic(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if super().has_view_permission(request, obj):
            return True
        return runs_a_clinic(request) and (obj is None or obj.scope in (scopes_of(request) or []))

    @admin.display(description=_("Published by"), ordering="published_by_email")
    def published_by(self, obj: _D) -> str:
        return getattr(obj, "published_by_email", None) or gettext("— (in code)")

    @admin.display(description="sha256")
    def short_hash(self, obj: _D) -> str:
        return f"{obj.content_sha256[:12]}…"

    @admin.display(description=_("Translations"))
    def translations(self, obj: _D) -> str:
        return admin_translations.translations_of(obj)

    def get_urls(self) -> list[URLPattern]:
        name = f"consent_{self.model._meta.model_name}"
        own = [
            path("publish/", self.admin_site.admin_view(self.choose_clinic_view), name=f"{name}_publish"),
            path("publish/<slug:scope>/", self.admin_site.admin_view(self.publish_view), name=f"{name}_publish_scope"),
        ]
        return own + super().get_urls()  # before "<path:object_id>/", which would swallow them

    def choose_clinic_view(self, request: HttpRequest) -> HttpResponse:
        return admin_publish.choose_clinic(self, request, self.kind)

    def publish_view(self, request: HttpRequest, scope: str) -> HttpResponse:
        return admin_publish.publish_page(self, request, self.kind, scope)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if admin_publish.publishable_clinics(request.user):
            publish_url = reverse(f"admin:consent_{self.model._meta.model_name}_publish")
            extra_context = {**(extra_context or {}), "publish_url": publish_url}
        return super().changelist_view(request, extra_context)


# What the page of one version shows first, before its content.
ABOUT = ("scope", "version", "title", "published_at", "published_by", "content_sha256")


def _published_by(model: type[Model]) -> Subquery:
    """Who published a version: the admin history's ADDITION row (versions published in
    code, such as the demo seed, have none)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=Cast(OuterRef("pk"), TextField()),
        action_flag=ADDITION,
    )
    return Subquery(entries.order_by("action_time").values("user__email")[:1])


@admin.register(ConsentFormVersion)
class ConsentFormVersionAdmin(DocumentVersionAdmin[ConsentFormVersion]):
    kind = admin_publish.CONSENT_FORM
    fields = (
        *ABOUT,
        "translations",
        "material",
        "sections",
        "side_effects",
        "acknowledgements",
        "e_records_disclosure",
        "intent_statement",
    )
    readonly_fields = fields


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(DocumentVersionAdmin[QuestionnaireVersion]):
    kind = admin_publish.QUESTIONNAIRE
    list_display = ["title", "scope", "version", "published_at", "published_by", "short_hash"]
    list_filter = ["scope"]
    fields = (*ABOUT, "translations", "items", "combined_rules")
    readonly_fields = fields


@admin.register(SignedConsent)
class SignedConsentAdmin(ReadOnlyAdmin[SignedConsent]):
    list_display = ["id", "signed_at", "scope", "typed_name", "signer_role", "form_version", "sequence"]
    list_filter = ["scope", "signer_role"]
    search_fields = ["patient__legal_name", "patient__user__email"]
    list_select_related = ["form_version"]
    show_full_result_count = False  # a COUNT over every consent on each page is wasted work

    def get_queryset(self, request: HttpRequest) -> QuerySet[SignedConsent]:
        scopes = scopes_of(request)
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
                    ip_address=client_ip(request),
                )
            response = super().change_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()  # read and shown inside the transaction that logged it
        return response


@admin.register(ConsentAccessLog)
class ConsentAccessLogAdmin(ReadOnlyAdmin[ConsentAccessLog]):
    list_display = ["at", "user", "role", "action", "channel", "consent", "ip_address"]
    list_filter = ["action", "channel", "role"]
    search_fields = ["user__email"]
    list_select_related = ["user", "consent"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ConsentAccessLog]:
        scopes = scopes_of(request)
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
