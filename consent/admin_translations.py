"""The admin's translations: listed per version with translator, reviewer, review date and
whether they are out of date; drafts written and corrected here (checked against their
source on every save), previewed as patients will read them, and marked reviewed by a
clinic admin (the admin site asks every user for their one-time code). A reviewed
translation is read-only, here and in the database."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consent import admin_publish, demo, translation_checks, translation_services
from consent.admin_scopes import runs_a_clinic, scopes_of
from consent.models import (
    ConsentFormTranslation,
    ConsentFormVersion,
    QuestionnaireTranslation,
    QuestionnaireVersion,
)
from consent.translation_models import Translation

_T = TypeVar("_T", bound=Translation)
PREVIEW_CLINIC = _("[the clinic's name]")
FORM_CONTENT = ("title", "sections", "side_effects", "acknowledgements", "intent_statement", "e_records_disclosure")
QUESTIONNAIRE_CONTENT = ("title", "items", "combined_rules")


def translations_of(version: ConsentFormVersion | QuestionnaireVersion) -> SafeString:
    """For a version's admin page: its translations, each linking to its own page."""
    rows = list(version.translations.order_by("language", "-created_at"))
    if not rows:
        return format_html("{}", gettext("None yet."))
    name = "consentformtranslation" if isinstance(version, ConsentFormVersion) else "questionnairetranslation"
    return format_html_join(
        ", ",
        '<a href="{}">{} ({})</a>',
        ((reverse(f"admin:consent_{name}_change", args=[t.pk]), t.get_language_display(), _state(t)) for t in rows),
    )


def _state(translation: Translation) -> str:
    if translation.outdated_at is not None:
        return gettext("out of date")
    return gettext("reviewed") if translation.reviewed else gettext("draft")


class _TranslationForm(forms.ModelForm):
    content_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source is None or any(name not in data for name in self.content_fields):
            return data
        try:
            translation_services.check_current(source)
            self.check(source.canonical(), {name: data[name] for name in self.content_fields})
        except translation_checks.TranslationMismatch as exc:
            raise forms.ValidationError(exc.problems) from None
        except translation_services.TranslationError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data

    def check(self, source: dict[str, Any], content: dict[str, Any]) -> None:
        raise NotImplementedError


class ConsentFormTranslationForm(_TranslationForm):
    content_fields = FORM_CONTENT

    class Meta:
        model = ConsentFormTranslation
        fields = ("source", "language", "translator", *FORM_CONTENT)

    def check(self, source: dict[str, Any], content: dict[str, Any]) -> None:
        shaped = {key: source[key] for key in self.content_fields}
        translation_checks.check_consent_form(shaped, content)


class QuestionnaireTranslationForm(_TranslationForm):
    content_fields = QUESTIONNAIRE_CONTENT

    class Meta:
        model = QuestionnaireTranslation
        fields = ("source", "language", "translator", *QUESTIONNAIRE_CONTENT)

    def check(self, source: dict[str, Any], content: dict[str, Any]) -> None:
        translation_checks.check_questionnaire({key: source[key] for key in self.content_fields}, content)


class TranslationAdmin(admin.ModelAdmin[_T]):
    list_display = ["title", "source", "language", "translator", "reviewer_name", "reviewed_at", "out_of_date"]
    list_filter = ["language", "source__scope", "source"]
    list_select_related = ["source", "reviewer"]
    actions = ["mark_reviewed"]
    about = ("source", "language", "translator", "reviewer_name", "reviewed_at", "outdated_at", "content_sha256")
    preview_template = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[_T]:
        scopes = scopes_of(request)
        queryset = super().get_queryset(request)
        return queryset if scopes is None else queryset.filter(source__scope__in=scopes)

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        user = request.user
        if getattr(user, "is_superuser", False):
            return True
        return runs_a_clinic(request) and (obj is None or obj.source.scope in (scopes_of(request) or []))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or runs_a_clinic(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj) and (obj is None or not obj.reviewed)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj) and obj is not None and not obj.reviewed

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        content = list(self.form.content_fields)  # type: ignore[attr-defined]
        if obj is None:
            return ["source", "language", "translator", *content]
        return [*self.about, "preview", *content]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        frozen = ["source", "reviewer_name", "reviewed_at", "outdated_at", "content_sha256", "preview"]
        return [*frozen, *(self.get_fields(request, obj) if obj.reviewed else [])]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "source":
            scopes = scopes_of(request)
            queryset = db_field.related_model.objects.order_by("scope", "-version")
            kwargs["queryset"] = queryset if scopes is None else queryset.filter(scope__in=scopes)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        content = {name: data[name] for name in form.content_fields}
        saved = self.save_translation(
            data["source"] if not change else obj.source,
            language=data.get("language", obj.language),
            translator=data.get("translator", obj.translator),
            content=content,
            draft=obj if change else None,
        )
        obj.pk = saved.pk

    def save_translation(self, source: Any, **kwargs: Any) -> _T:
        raise NotImplementedError

    @admin.display(description=_("Clinical reviewer"))
    def reviewer_name(self, obj: _T) -> str:
        return reviewer_label(obj.reviewer)

    @admin.display(description=_("Out of date"), boolean=True)
    def out_of_date(self, obj: _T) -> bool:
        return obj.outdated_at is not None

    @admin.display(description=_("Preview: what patients will read"))
    def preview(self, obj: Any) -> str:
        preview = self.preview_of(obj.content())
        return render_to_string(self.preview_template, {"preview": preview, "next_version": obj.source.version})

    def preview_of(self, content: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @admin.action(description=_("Mark reviewed (you are the clinical reviewer)"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[_T]) -> None:
        assert isinstance(request.user, User)
        chosen: list[Any] = list(queryset.select_related("source"))
        for translation in chosen:
            try:
                translation_services.review_translation(translation, reviewer=request.user)
            except translation_services.TranslationError as exc:
                self.message_user(
                    request,
                    gettext("%(translation)s: %(problem)s") % {"translation": translation, "problem": exc},
                    messages.ERROR,
                )
            else:
                reviewed = gettext("%(translation)s: reviewed. Patients get it from now on.")
                self.message_user(request, reviewed % {"translation": translation}, messages.SUCCESS)


def reviewer_label(user: User | None) -> str:
    if user is None:
        return "—"
    return demo.DEMO_REVIEWER_NAME if user.email == demo.DEMO_REVIEWER_EMAIL else user.email


@admin.register(ConsentFormTranslation)
class ConsentFormTranslationAdmin(TranslationAdmin[ConsentFormTranslation]):
    form = ConsentFormTranslationForm
    preview_template = "admin/consent/preview_consent_form.html"

    def save_translation(self, source: Any, **kwargs: Any) -> ConsentFormTranslation:
        return translation_services.save_consent_form_translation(source, **kwargs)

    def preview_of(self, content: dict[str, Any]) -> dict[str, Any]:
        return admin_publish.consent_form_preview(content, str(PREVIEW_CLINIC))


@admin.register(QuestionnaireTranslation)
class QuestionnaireTranslationAdmin(TranslationAdmin[QuestionnaireTranslation]):
    form = QuestionnaireTranslationForm
    preview_template = "admin/consent/preview_questionnaire.html"

    def save_translation(self, source: Any, **kwargs: Any) -> QuestionnaireTranslation:
        return translation_services.save_questionnaire_translation(source, **kwargs)

    def preview_of(self, content: dict[str, Any]) -> dict[str, Any]:
        return admin_publish.questionnaire_preview(content, str(PREVIEW_CLINIC))
