"""Access: who may see or act on what. The one module that decides it.

The rules, as a city hall works:

- 広聴 and システム管理者 (``CITYWIDE_ROLES``) see every department's items
  and the submitters' personal data (names, addresses, unmasked originals).
- 所管課職員 and 課長 (``DEPARTMENT_ROLES``) see only their department's
  items: a 課 its own, a 部 its own and those of every 課 under it
  (``department_scope``). They read masked text, never personal data.
- 市長・秘書課 (``MAYOR_ROLES``) see only the 市長への手紙 広聴 marked
  市長確認が必要, in the masked text the 課 read (``gives_mayor_approval``).
- Anyone else (市民, 附属機関事務局) sees no staff item at all.
- Every view of personal data is an audit row (``pii.view`` /
  ``pii.view_original``), written by triage.services.personal_data_view
  and originals_viewed, which ask ``can_view_personal_data`` first.

accounts sits below the apps that own the objects, so the scoped
queryset of each object kind lives with its model and is a thin call to
``scope_to_departments`` or the predicates here:

- submission: feedback.selectors.submission_list_visible_to
- consultation (a case to work on: staff entry, CSV import, workbench,
  survey results): feedback.selectors.consultation_list_workable_by and
  can_work_on_consultation
- letter (市長への手紙): letters.selectors.inbox.letter_case_list_visible_to
- opinion group (意見の概要 workbench):
  opinions.selectors.groups.consultation_list_for_workbench and
  opinion_group_get_for_workbench (課長's step: can_approve_for_department)
- survey results: results.staff_views.survey (can_work_on_consultation)
- personal data: ``can_view_personal_data`` here
- publishing a text the personal-data screen flagged: ``may_publish_flagged_text``
- the 漏えい等事案 register (core.incidents; pages in accounts.incident_views):
  ``may_handle_incidents``

Staff entry points also need a second factor, asked here too: the pages
(``StaffMFARequiredMiddleware`` for /staff/ and /admin/, and
``accounts.decorators.staff_member_required``), the staff API
(``StaffApiPermission`` and its subclasses) and the Django admin site
(``admin_site_has_permission``). A member of staff has a second factor
when TOTP is enrolled (allauth then asks for a code at every login) or
when the request carries an API token: tokens are issued by admins to
staff (issue_api_token), so a token is itself the second factor. A
password session alone is not.
"""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Q, QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission

from accounts.models import Department
from accounts.roles import (
    CITYWIDE_ROLES,
    DEPARTMENT_APPROVER,
    DEPARTMENT_ROLES,
    INCIDENT_ROLES,
    MAYOR_ROLES,
    PUBLIC_TEXT_OVERRIDE_ROLES,
    STAFF_ROLES,
    has_role,
    is_staff_member,
)

# ---- Departments and personal data ----


def sees_every_department(user) -> bool:
    """True for 広聴 and admins: no department narrows what they see."""
    return has_role(user, *CITYWIDE_ROLES)


def works_in_departments(user) -> bool:
    """True for 所管課職員 and 課長: what they see is their department_scope."""
    return has_role(user, *DEPARTMENT_ROLES)


def department_scope(user) -> list[int]:
    """Return the department ids a 部/課 member may work on (a 部 sees its 課)."""
    if not user.department_id:
        return []
    return [
        user.department_id,
        *Department.objects.filter(parent_id=user.department_id).values_list("id", flat=True),
    ]


def may_work_for_department(user, department_id: int | None) -> bool:
    """True when the user may work on an item of this department.

    広聴 and admins on any; 所管課職員 and 課長 when it is in their
    department_scope (an item with no department is no department's);
    others never.
    """
    if sees_every_department(user):
        return True
    if works_in_departments(user):
        return department_id is not None and department_id in department_scope(user)
    return False


def approves_for_department(user, department_id: int | None) -> bool:
    """True for a 課長 (or 部長) whose department_scope holds this department."""
    return department_id is not None and has_role(user, DEPARTMENT_APPROVER) and department_id in department_scope(user)


def gives_mayor_approval(user) -> bool:
    """True for 市長・秘書課: the last approval of a letter marked 市長確認が必要.

    They read those letters (masked, never personal data) and approve or
    send back their reply; letters.selectors.inbox shows them those only.
    """
    return has_role(user, *MAYOR_ROLES)


def can_view_personal_data(*, user) -> bool:
    """Only 広聴 (who receive and reply) and admins see names and addresses."""
    return has_role(user, *CITYWIDE_ROLES)


def may_publish_flagged_text(*, user) -> bool:
    """Only 広聴 may publish a text nlp.screening flagged (with a reason, audited)."""
    return has_role(user, *PUBLIC_TEXT_OVERRIDE_ROLES)


def may_handle_incidents(*, user) -> bool:
    """Only 広聴 and admins see and record 漏えい等事案 (their reports and 本人への通知)."""
    return has_role(user, *INCIDENT_ROLES)


def scope_to_departments(
    queryset: QuerySet,
    user,
    *,
    department_field: str,
    also: Q | Callable[[list[int]], Q] | None = None,
) -> QuerySet:
    """Narrow ``queryset`` to what ``user`` may see, by department.

    All of it for 広聴 and admins; for 所管課職員 and 課長 the rows whose
    ``department_field`` (a lookup such as ``"department_id"``) is in their
    department_scope, or that match ``also`` (a Q, or a function of the
    scope returning one); nothing for anyone else.
    """
    if sees_every_department(user):
        return queryset
    if not works_in_departments(user):
        return queryset.none()
    scope = department_scope(user)
    condition = Q(**{f"{department_field}__in": scope})
    if also is not None:
        condition |= also(scope) if callable(also) else also
    return queryset.filter(condition)


# ---- Second factor for staff entry points ----


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
    return bool(user.is_active and user.is_staff and staff_second_factor_ok(user, via_token=False))


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
