from accounts.access import StaffApiPermission
from accounts.roles import STAFF_WORKING_ROLES


class IsTriageStaff(StaffApiPermission):
    """Staff who triage; a browser session also needs TOTP enrolled (see accounts.access)."""

    roles = STAFF_WORKING_ROLES
    message = "職員（所管課・広聴・管理者）のみ利用できます。"
