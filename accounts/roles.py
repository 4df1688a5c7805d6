"""Role names (auth groups) and the checks built on them."""

from django.utils.translation import gettext_lazy as _

CITIZEN = "citizen"
DEPARTMENT_STAFF = "department_staff"
DEPARTMENT_APPROVER = "department_approver"
KOUCHOU = "kouchou"
COMMITTEE_SECRETARIAT = "committee_secretariat"
MAYOR = "mayor"
ADMIN = "admin"

ROLE_LABELS = {
    CITIZEN: _("市民"),
    DEPARTMENT_STAFF: _("所管課職員"),
    DEPARTMENT_APPROVER: _("所管課承認者（課長）"),
    KOUCHOU: _("広聴担当"),
    COMMITTEE_SECRETARIAT: _("附属機関事務局"),
    MAYOR: _("市長・秘書課（市長確認）"),
    ADMIN: _("システム管理者"),
}
STAFF_ROLES = frozenset(ROLE_LABELS) - {CITIZEN}

# Role groups: who does what, written once. Views, API permissions and
# accounts.access name these; no other module spells out a list of roles.
# 所管課職員・課長（部長）: work only on their own 部・課's items.
DEPARTMENT_ROLES = (DEPARTMENT_STAFF, DEPARTMENT_APPROVER)
# 広聴・管理者: every department's items, and the submitters' personal data.
CITYWIDE_ROLES = (KOUCHOU, ADMIN)
# Everyone who works on submissions: intake, triage, letters, the 意見の概要
# workbench and survey results.
STAFF_WORKING_ROLES = DEPARTMENT_ROLES + CITYWIDE_ROLES
# 附属機関等の公募: the secretariat (of its own 課's committees) and admins;
# they alone see applicants' personal data (committees.selectors).
COMMITTEE_ROLES = (COMMITTEE_SECRETARIAT, ADMIN)
# 市長確認 of a 市長への手紙: the 市長, or 秘書課 on the 市長's behalf, approve
# last the reply of a letter 広聴 marked 市長確認が必要; they see those letters
# only, in the masked text the 課 read (accounts.access.gives_mayor_approval).
MAYOR_ROLES = (MAYOR,)
# Who approves a reply: the 課長・部長 of its 課, then 広聴, then (when marked) the 市長.
APPROVER_ROLES = (DEPARTMENT_APPROVER, KOUCHOU, *MAYOR_ROLES)
# Who opens the 市長への手紙 list and case pages (each sees the cases accounts.access allows).
LETTER_ROLES = STAFF_WORKING_ROLES + MAYOR_ROLES
# Who may publish a text the personal-data screen flagged, having checked it
# (audited): 広聴 only, who answer for what the city publishes.
PUBLIC_TEXT_OVERRIDE_ROLES = (KOUCHOU,)
# 漏えい等事案 (個人情報保護法68条): 広聴 and admins record an incident, its
# reports to the 個人情報保護委員会 and the 本人への通知 (accounts.access.may_handle_incidents).
INCIDENT_ROLES = CITYWIDE_ROLES


def user_roles(user) -> set[str]:
    """Return the role names a user holds (cached on the instance)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_koe_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMIN)
        user._koe_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_staff_member(user) -> bool:
    """True for anyone who reaches staff pages (and so must use MFA)."""
    return bool(user_roles(user) & STAFF_ROLES) or getattr(user, "is_staff", False)
