"""Reads of submissions; who may see what is decided here."""

from django.db.models import QuerySet

from accounts.models import Department
from accounts.roles import (
    ADMIN,
    DEPARTMENT_APPROVER,
    DEPARTMENT_STAFF,
    KOUCHOU,
    has_role,
)
from consultations.models import Consultation
from feedback.models import Submission


def submission_list_for_author(*, user) -> QuerySet[Submission]:
    # letter_case (the letters app's case, named by its reverse accessor, not
    # imported) lets 提出した意見 link a sent reply without one query per row.
    return (
        Submission.objects.filter(author=user)
        .select_related("consultation", "letter_case")
        .order_by("-submitted_at")
    )


def submission_get_receipt(
    *, receipt_number: str, user, session_receipts: list[str]
) -> Submission | None:
    """Return the submission if this browser sent it or the user owns it."""
    submission = (
        Submission.objects.select_related("consultation")
        .filter(receipt_number=receipt_number)
        .first()
    )
    if submission is None:
        return None
    owns = user.is_authenticated and submission.author_id == user.pk
    return submission if owns or receipt_number in session_receipts else None


# ---- Staff access rules: the one place that decides who sees what. ----


def department_scope(user) -> list[int]:
    """Return the department ids a 部/課 member may work on (a 部 sees its 課)."""
    if not user.department_id:
        return []
    return [
        user.department_id,
        *Department.objects.filter(parent_id=user.department_id).values_list(
            "id", flat=True
        ),
    ]


def submission_list_visible_to(*, user) -> QuerySet[Submission]:
    """Return the submissions a member of staff may see.

    広聴 and admins see everything; department staff and approvers see what is
    assigned to their department, or unassigned items of their own cases.
    """
    from django.db.models import Q

    qs = Submission.objects.all()
    if has_role(user, KOUCHOU, ADMIN):
        return qs
    if has_role(user, DEPARTMENT_STAFF, DEPARTMENT_APPROVER):
        scope = department_scope(user)
        # Consultation ids, not a join: keeps the queue on its own indexes.
        own_cases = list(
            Consultation.objects.filter(department_id__in=scope).values_list(
                "pk", flat=True
            )
        )
        return qs.filter(
            Q(department_id__in=scope)
            | Q(department__isnull=True, consultation_id__in=own_cases)
        )
    return qs.none()


def consultation_list_workable_by(*, user, consultations=None):
    """Return the consultations a member of staff may work on.

    Working on a case means entering paper/FAX/e-mail submissions, importing
    a CSV, reading survey results and using the 意見の概要 workbench. 広聴 and
    admins work on every case; department staff and approvers on the cases
    whose 担当課 is in their department_scope (own 課, or a 部 and its 課);
    others on none. ``consultations`` narrows the base queryset.
    """
    qs = Consultation.objects.all() if consultations is None else consultations
    if has_role(user, KOUCHOU, ADMIN):
        return qs
    if has_role(user, DEPARTMENT_STAFF, DEPARTMENT_APPROVER):
        return qs.filter(department_id__in=department_scope(user))
    return qs.none()


def can_work_on_consultation(*, user, consultation) -> bool:
    """The same rule as consultation_list_workable_by, for one case."""
    if has_role(user, KOUCHOU, ADMIN):
        return True
    if has_role(user, DEPARTMENT_STAFF, DEPARTMENT_APPROVER):
        return (
            consultation.department_id is not None
            and consultation.department_id in department_scope(user)
        )
    return False


def can_view_personal_data(*, user) -> bool:
    """Only 広聴 (who receive and reply) and admins see names and addresses."""
    return has_role(user, KOUCHOU, ADMIN)
