from allauth.mfa.utils import is_mfa_enabled
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from accounts.roles import (
    ADMIN,
    DEPARTMENT_APPROVER,
    DEPARTMENT_STAFF,
    KOUCHOU,
    has_role,
)


class IsTriageStaff(BasePermission):
    """Staff who triage; a browser session also needs TOTP enrolled.

    Tokens are issued by admins to staff (issue_api_token), so a token is
    itself the second factor; a session cookie is not.
    """

    message = "職員（所管課・広聴・管理者）のみ利用できます。"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and has_role(user, DEPARTMENT_STAFF, DEPARTMENT_APPROVER, KOUCHOU, ADMIN)):
            return False
        if isinstance(request.successful_authenticator, SessionAuthentication):
            return is_mfa_enabled(user)
        return True
