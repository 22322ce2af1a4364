"""Patient pages: discharge of a course of care."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
