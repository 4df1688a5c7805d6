from django.conf import settings

from accounts.roles import is_staff_member


def site(request):
    user = getattr(request, "user", None)
    staff = bool(user and user.is_authenticated and is_staff_member(user))
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "is_staff_member": staff,
        # Read by static/js/idle-timeout.js on staff sessions (accounts.middleware).
        "STAFF_IDLE": (
            {
                "timeout_seconds": round(float(settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES) * 60),
                "warning_seconds": settings.KOE_STAFF_IDLE_WARNING_SECONDS,
                "minutes": f"{settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES:g}",
            }
            if staff
            else None
        ),
    }
