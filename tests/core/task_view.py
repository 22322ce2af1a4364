"""A view that causes a Celery task, for following a request id into the worker (`pytest.mark.urls`)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from booking.tasks import expire_stale_holds


def enqueue(request: HttpRequest) -> JsonResponse:
    result = expire_stale_holds.delay()
    return JsonResponse({"task_id": result.id})


urlpatterns = [path("enqueue", enqueue)]
