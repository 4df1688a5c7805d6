from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.access import mfa_activation_redirect, staff_needs_second_factor
from accounts.roles import has_role, is_staff_member


def staff_member_required(*roles: str):
    """Require a staff role (any staff role when none is named) and TOTP enrolled."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = has_role(user, *roles) if roles else is_staff_member(user)
            if not allowed:
                raise PermissionDenied
            if staff_needs_second_factor(user):
                return mfa_activation_redirect(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
