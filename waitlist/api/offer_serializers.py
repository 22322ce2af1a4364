"""The shapes of a waitlist offer over REST."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rest_framework import serializers

from waitlist.models import Offer


class OfferSerializer(serializers.ModelSerializer[Offer]):
    treatment = serializers.CharField(source="appointment_type.shown_name", read_only=True)
    practitioner_name = serializers.CharField(source="practitioner.display_name", read_only=True)
    clinic = serializers.IntegerField(source="appointment_type.clinic_id", read_only=True)
    end = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "status",
            "start",
            "end",
            "appointment_type",
            "treatment",
            "practitioner",
            "practitioner_name",
            "clinic",
            "expires_at",
            "sent_at",
            "opened_at",
            "claimed_at",
        ]
        read_only_fields = fields

    def get_end(self, offer: Offer) -> str:
        end = offer.start + timedelta(minutes=offer.appointment_type.duration_minutes)
        return str(serializers.DateTimeField().to_representation(end))


class ClaimedSerializer(serializers.Serializer[Any]):
    appointment = serializers.IntegerField(help_text="The held appointment: continue booking it as usual.")
    status = serializers.CharField()
    hold_expires_at = serializers.DateTimeField(allow_null=True)
