"""Staff must enrol TOTP before they reach any staff page."""

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .roles import is_staff_member

# Paths a staff member without MFA may still open: MFA enrolment itself,
# logging out, and static files.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/")
_STAFF_PREFIXES = ("/staff/", "/admin/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            path.startswith(_STAFF_PREFIXES)
            and not path.startswith(_EXEMPT_PREFIXES)
            and request.user.is_authenticated
            and is_staff_member(request.user)
            and not is_mfa_enabled(request.user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
