from django.conf import settings

from accounts.roles import is_staff_member


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "is_staff_member": bool(user and user.is_authenticated and is_staff_member(user)),
    }
