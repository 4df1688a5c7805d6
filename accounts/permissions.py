from accounts.access import StaffApiPermission
from accounts.roles import (
    ADMIN,
    DEPARTMENT_APPROVER,
    DEPARTMENT_STAFF,
    KOUCHOU,
)


class IsTriageStaff(StaffApiPermission):
    """Staff who triage; a browser session also needs TOTP enrolled (see accounts.access)."""

    roles = (DEPARTMENT_STAFF, DEPARTMENT_APPROVER, KOUCHOU, ADMIN)
    message = "職員（所管課・広聴・管理者）のみ利用できます。"
