from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.codes import email_hash
from accounts.models import AccountEvent, Patient, User
from accounts.selectors import with_second_factors


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "role",
        "is_active",
        "is_staff",
        "authenticator_app",
        "passkeys",
        "backup_codes_left",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email"]
    readonly_fields = ["authenticator_app", "passkeys", "backup_codes_left"]
    fieldsets = (
        (None, {"fields": ("email", "password", "role")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Second factors"), {"fields": ("authenticator_app", "passkeys", "backup_codes_left")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # Who has which second factor, counted in the list's one query.
        return with_second_factors(super().get_queryset(request))

    @admin.display(boolean=True, description=_("Authenticator app"), ordering="has_totp")
    def authenticator_app(self, user: User) -> bool:
        return bool(getattr(user, "has_totp", False))

    @admin.display(description=_("Passkeys"), ordering="passkey_count")
    def passkeys(self, user: User) -> int:
        return int(getattr(user, "passkey_count", 0))

    @admin.display(description=_("Backup codes left"), ordering="backup_codes_left")
    def backup_codes_left(self, user: User) -> int:
        return int(getattr(user, "backup_codes_left", 0))

    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin[Patient]):
    list_display = ["legal_name", "user", "date_of_birth", "created_at"]
    search_fields = ["legal_name", "preferred_name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin[AccountEvent]):
    list_display = ["at", "action", "user"]
    list_filter = ["action"]
    search_fields = ["user__email"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AccountEvent], search_term: str
    ) -> tuple[QuerySet[AccountEvent], bool]:
        # Sign-in events of an address without an account name it only by its hash.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            found |= queryset.filter(email_hash=email_hash(search_term))
        return found, may_have_duplicates

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
