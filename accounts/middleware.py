"""Staff must enrol TOTP before they reach any staff page."""

from accounts.access import mfa_activation_redirect, staff_needs_second_factor

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
            and staff_needs_second_factor(request.user)
        ):
            return mfa_activation_redirect(request)
        return self.get_response(request)
