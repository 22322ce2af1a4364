from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class AcusAdminConfig(AdminConfig):
    """The Django admin, but only for staff with an OTP-verified session."""

    default_site = "core.admin.AcusAdminSite"
