from django.contrib import admin

from calendars.models import CalendarSettings


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin[CalendarSettings]):
    list_display = ("clinic", "event_detail", "stale_after")
