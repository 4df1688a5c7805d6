"""Who may use a staff entry point: the one place that asks for the second factor.

Every staff entry point asks here: the pages (``StaffMFARequiredMiddleware``
for /staff/ and /admin/, and ``accounts.decorators.staff_member_required``),
the staff API (``StaffApiPermission`` and its subclasses) and the Django
admin site (``admin_site_has_permission``).

A member of staff has a second factor when TOTP is enrolled (allauth then
asks for a code at every login) or when the request carries an API token:
tokens are issued by admins to staff (issue_api_token), so a token is
itself the second factor. A password session alone is not.
"""

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission

from accounts.roles import STAFF_ROLES, has_role, is_staff_member


def staff_second_factor_ok(user, *, via_token: bool) -> bool:
    """True when this staff user got in with a second factor (TOTP enrolled, or an API token)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return via_token or is_mfa_enabled(user)


def staff_needs_second_factor(user, *, via_token: bool = False) -> bool:
    """True for a member of staff who must enrol TOTP before going on."""
    return bool(
        getattr(user, "is_authenticated", False)
        and is_staff_member(user)
        and not staff_second_factor_ok(user, via_token=via_token)
    )


def mfa_activation_redirect(request):
    """Send the user to TOTP enrolment, coming back to this page afterwards."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_activate_totp')}?{query}")


def admin_site_has_permission(request) -> bool:
    """Django's admin check (active staff) plus the second factor."""
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and staff_second_factor_ok(user, via_token=False)
    )


class StaffApiPermission(BasePermission):
    """A staff role and a second factor (a token, or a session with TOTP enrolled).

    Subclasses name the roles; any authenticator other than a token
    (a session cookie, or one added later) needs TOTP enrolled.
    """

    roles: tuple[str, ...] = tuple(STAFF_ROLES)
    message = "職員のみ利用できます。"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and has_role(user, *self.roles)):
            return False
        via_token = isinstance(request.successful_authenticator, TokenAuthentication)
        return staff_second_factor_ok(user, via_token=via_token)
