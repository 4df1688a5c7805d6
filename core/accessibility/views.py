"""/accessibility/: the city's ウェブアクセシビリティ方針 with the last browser-test run's results."""

from django.conf import settings
from django.shortcuts import render

from core.accessibility import CONFORMANCE_WORDING, TARGET_LEVEL, load_report


def accessibility_statement(request):
    return render(
        request,
        "pages/accessibility.html",
        {
            "report": load_report(),
            "target_level": TARGET_LEVEL,
            "conformance": CONFORMANCE_WORDING,
            "idle_minutes": f"{float(settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES):g}",
            "idle_warning_seconds": settings.KOE_STAFF_IDLE_WARNING_SECONDS,
        },
    )
