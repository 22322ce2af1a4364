from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalise_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=User.Role.CLINIC_ADMIN)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username or ""))


def normalise_email(email: str) -> str:
    # Addresses are compared case-insensitively everywhere; store one spelling.
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. The email address is the login."""

    class Role(models.TextChoices):
        PATIENT = "patient", _("Patient")
        PRACTITIONER = "practitioner", _("Practitioner")
        CLINIC_ADMIN = "clinic_admin", _("Clinic admin")

    email = models.EmailField(verbose_name=_("email"), unique=True)
    role = models.CharField(verbose_name=_("role"), max_length=20, choices=Role.choices, default=Role.PATIENT)
    # Django's flag for the admin site; only clinic admins get it.
    is_staff = models.BooleanField(verbose_name=_("is staff"), default=False)
    is_active = models.BooleanField(verbose_name=_("is active"), default=True)
    date_joined = models.DateTimeField(verbose_name=_("date joined"), default=timezone.now)
    # The language of their pages and of everything Acus sends them (blank: not chosen yet).
    language = models.CharField(verbose_name=_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in (self.Role.PRACTITIONER, self.Role.CLINIC_ADMIN)


class Patient(models.Model):
    """What care needs to know about a patient, beyond their sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="patient"
    )
    legal_name = models.CharField(verbose_name=_("legal name"), max_length=200, blank=True)
    preferred_name = models.CharField(verbose_name=_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(verbose_name=_("date of birth"), null=True, blank=True)
    phone = models.CharField(
        verbose_name=_("phone"), max_length=16, blank=True, help_text=_("E.164, e.g. +447911123456")
    )
    time_zone = models.CharField(
        verbose_name=_("time zone"), max_length=64, blank=True, help_text=_("Blank means the clinic's zone.")
    )
    notify_email = models.BooleanField(verbose_name=_("notify email"), default=True)
    notify_sms = models.BooleanField(verbose_name=_("notify sms"), default=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notify_sms=False) | ~models.Q(phone=""),
                name="patient_sms_needs_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name or self.user.email

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_name or self.user.email


class AccountEvent(models.Model):
    """Append-only audit of sign-in and account changes."""

    class Action(models.TextChoices):
        PATIENT_CODE_SENT = "patient_code_sent"
        PATIENT_CODE_REJECTED = "patient_code_rejected"
        PATIENT_SIGNED_IN = "patient_signed_in"
        PATIENT_CREATED = "patient_created"
        PROFILE_UPDATED = "profile_updated"
        STAFF_PASSWORD_OK = "staff_password_ok"  # noqa: S105 - an event name
        STAFF_OTP_VERIFIED = "staff_otp_verified"
        STAFF_OTP_REJECTED = "staff_otp_rejected"
        STAFF_TOTP_ENROLLED = "staff_totp_enrolled"
        STAFF_TOTP_REMOVED = "staff_totp_removed"
        STAFF_PASSKEY_ADDED = "staff_passkey_added"
        STAFF_PASSKEY_REMOVED = "staff_passkey_removed"

    action = models.CharField(verbose_name=_("action"), max_length=40, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Sign-in events name the address by its keyed hash (accounts.challenges.email_hash):
    # an address that never signs in has no user row to point to. Older rows keep "": a
    # constant default is catalogue-only in PostgreSQL, so adding it rewrote none of them.
    email_hash = models.CharField(verbose_name=_("email hash"), max_length=64, blank=True, default="", db_index=True)
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)
    data = models.JSONField(verbose_name=_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class SignInChallenge(models.Model):
    """A patient sign-in code on its way: at most one per address, gone within minutes.

    Nothing here names a person: the address and the code are kept only as keyed hashes
    (accounts.challenges), and no User row exists for the address until the code is
    verified, so asking for a code for a stranger's address leaves no account behind."""

    email_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, blank=True, help_text=_("Empty once used up by wrong tries"))
    created_at = models.DateTimeField(default=timezone.now, help_text=_("When this code was sent"))
    expires_at = models.DateTimeField(db_index=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")

    def __str__(self) -> str:
        return f"sign-in code until {self.expires_at:%Y-%m-%d %H:%M}"
