"""The clinic's page for its exercise library: Django admin for Exercise, with the picture
upload and the translations. Django admin is for the clinic admins, who are superusers in Acus,
as on every other admin page; other staff use the staff API. Saves go through
care.services.exercises, which checks the picture with Pillow and re-encodes it; the form
shows the same checks as field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from care import admin_plans  # noqa: F401  (registers CarePlan's admin)
from care.errors import InvalidInput
from care.models import Exercise
from care.services import exercises as services


class ExerciseForm(forms.ModelForm[Exercise]):
    upload = forms.FileField(label=_("New picture"), required=False, help_text=_("PNG, JPEG or WebP, at most 1 MB."))
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    class Meta:
        model = Exercise
        fields = [
            "clinic",
            "name",
            "instructions",
            "sets",
            "repetitions",
            "hold_seconds",
            "times_a_day",
            "picture_alt",
            "translations",
            "active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        self.uploaded: bytes | None = upload.read() if upload is not None else None
        if self.uploaded is not None:
            try:
                services.checked_picture(self.uploaded)
            except InvalidInput as exc:
                self.add_error("upload", exc.fields["picture"])
        if self.errors or "clinic" not in data:
            return data
        has_picture = self.uploaded is not None or (bool(self.instance.picture_type) and not data.get("remove_picture"))
        fields = services.exercise_errors(
            data["clinic"], self.exercise_input(), has_picture=has_picture, pk=self.instance.pk
        )
        for name, messages in fields.items():
            self.add_error(name if name in self.fields else None, messages)
        return data

    def exercise_input(self) -> services.ExerciseInput:
        data = self.cleaned_data
        return services.ExerciseInput(
            name=data.get("name", ""),
            instructions=data.get("instructions", ""),
            dose=services.DoseInput(data["sets"], data["repetitions"], data["hold_seconds"], data["times_a_day"]),
            picture_alt=data.get("picture_alt", ""),
            translations=data.get("translations") or {},
        )


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin[Exercise]):
    form = ExerciseForm
    list_display = ["name", "clinic", "sets", "repetitions", "hold_seconds", "times_a_day", "active"]
    list_filter = ["clinic", "active"]
    search_fields = ["name"]
    readonly_fields = ["current_picture"]
    fieldsets = (
        (None, {"fields": ("clinic", "name", "instructions", "active")}),
        (_("Default dose"), {"fields": ("sets", "repetitions", "hold_seconds", "times_a_day")}),
        (_("Picture"), {"fields": ("current_picture", "upload", "remove_picture", "picture_alt")}),
        (_("Other languages"), {"fields": ("translations",)}),
    )

    @admin.display(description=_("Current picture"))
    def current_picture(self, exercise: Exercise) -> str:
        if not exercise.pk or not exercise.picture_type:
            return "-"
        return format_html(
            '<img src="/care/exercises/{}/picture/" alt="{}" width="160">', exercise.pk, exercise.picture_alt
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exercise]:
        return super().get_queryset(request).defer("picture")  # the list never shows the bytes

    def save_model(self, request: HttpRequest, obj: Exercise, form: Any, change: bool) -> None:
        user = request.user
        assert isinstance(user, User)
        data = form.exercise_input()
        upload: bytes | None = form.uploaded
        if change:
            picture: Any = (
                upload if upload is not None else (None if form.cleaned_data.get("remove_picture") else services.KEEP)
            )
            saved = services.update_exercise(
                obj, data=data, picture=picture, active=form.cleaned_data["active"], actor=user
            )
        else:
            saved = services.create_exercise(clinic=form.cleaned_data["clinic"], data=data, picture=upload, actor=user)
            if not form.cleaned_data["active"]:
                saved = services.retire_exercise(saved, actor=user)
        obj.pk = saved.pk
