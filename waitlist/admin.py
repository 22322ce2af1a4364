"""The clinic's waitlist settings (how offers go out, how long each runs, how many patients a
broadcast reaches) in Django admin, where clinic admins (superusers in Acus) change clinic
settings; the staff statistics page shows them read-only."""

from __future__ import annotations

from django.contrib import admin

from waitlist.models import WaitlistSettings


@admin.register(WaitlistSettings)
class WaitlistSettingsAdmin(admin.ModelAdmin[WaitlistSettings]):
    list_display = ["clinic", "mode", "offer_minutes", "broadcast_size"]
    list_select_related = ["clinic"]
    fields = ["clinic", "mode", "offer_minutes", "broadcast_size"]
