"""Reads of submissions; who may see them is accounts.access's rule, applied here."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.access import may_work_for_department, scope_to_departments
from consultations.models import Consultation, Question
from feedback.models import Answer, Submission, SubmissionImport

# ---- The text of a submission that analysis reads (topics, 同趣旨, masking). ----

# Blank as Python's str.strip() sees it, spelt out: PostgreSQL's \s misses
# U+00A0 and others that Python (and so SQLite's REGEXP) counts as space, and
# the SQL rule must give the same answer as the Python one on every backend.
BLANK_RE = "^[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"


def submission_analysis_texts(*, submission_ids: Iterable[int]) -> dict[int, str]:
    """Return the text to analyse per submission: "" when it has none.

    The body (as stored: masking offsets point into it), then the 自由記述
    answers in question order, stripped, joined by a newline. A survey response with only choice answers has no
    text: it gets no 施策 suggestion and joins no 同趣旨 group.
    ``submission_has_analysis_text`` is the same rule in SQL.
    """
    ids = list(submission_ids)
    bodies = Submission.objects.filter(pk__in=ids).values_list("pk", "body")
    parts: dict[int, list[str]] = {pk: [body] if body.strip() else [] for pk, body in bodies}
    answers = (
        Answer.objects.filter(submission_id__in=ids, question__kind=Question.Kind.FREE_TEXT)
        .order_by("submission_id", "question__number", "pk")
        .values_list("submission_id", "text")
    )
    for submission_id, text in answers:
        if text.strip():
            parts[submission_id].append(text.strip())
    return {pk: "\n".join(texts) for pk, texts in parts.items()}


def submission_has_analysis_text() -> Q:
    """A filter on Submission: it has a text to analyse (see ``submission_analysis_texts``)."""
    free_text = Answer.objects.filter(submission_id=OuterRef("pk"), question__kind=Question.Kind.FREE_TEXT).exclude(
        text__regex=BLANK_RE
    )
    return Q(Exists(free_text)) | ~Q(body__regex=BLANK_RE)


def submission_list_for_author(*, user) -> QuerySet[Submission]:
    # letter_case (the letters app's case, named by its reverse accessor, not
    # imported) lets 提出した意見 link a sent reply without one query per row.
    return (
        Submission.objects.filter(author=user).select_related("consultation", "letter_case").order_by("-submitted_at")
    )


def submission_get_receipt(*, receipt_number: str, user, session_receipts: list[str]) -> Submission | None:
    """Return the submission if this browser sent it or the user owns it."""
    submission = Submission.objects.select_related("consultation").filter(receipt_number=receipt_number).first()
    if submission is None:
        return None
    owns = user.is_authenticated and submission.author_id == user.pk
    return submission if owns or receipt_number in session_receipts else None


# ---- Staff access: the rule is accounts.access's; these apply it to submissions and cases. ----


def submission_list_visible_to(*, user) -> QuerySet[Submission]:
    """Return the submissions a member of staff may see.

    広聴 and admins see everything; department staff and approvers see what is
    assigned to their department_scope, or unassigned items of its cases.
    """

    def unassigned_of_own_cases(scope: list[int]) -> Q:
        # Consultation ids, not a join: keeps the queue on its own indexes.
        own_cases = list(Consultation.objects.filter(department_id__in=scope).values_list("pk", flat=True))
        return Q(department__isnull=True, consultation_id__in=own_cases)

    return scope_to_departments(
        Submission.objects.all(),
        user,
        department_field="department_id",
        also=unassigned_of_own_cases,
    )


def consultation_list_workable_by(*, user, consultations=None):
    """Return the consultations a member of staff may work on.

    Working on a case means entering paper/FAX/e-mail submissions, importing
    a CSV, reading survey results and using the 意見の概要 workbench. 広聴 and
    admins work on every case; department staff and approvers on the cases
    whose 担当課 is in their department_scope (own 課, or a 部 and its 課);
    others on none. ``consultations`` narrows the base queryset.
    """
    qs = Consultation.objects.all() if consultations is None else consultations
    return scope_to_departments(qs, user, department_field="department_id")


def can_work_on_consultation(*, user, consultation) -> bool:
    """The same rule as consultation_list_workable_by, for one case."""
    return may_work_for_department(user, consultation.department_id)


# ---- CSV import jobs: seen by whoever may work on their case ----


def submission_import_list_for(*, consultation) -> QuerySet[SubmissionImport]:
    """A case's CSV imports, newest first (the file bytes are not loaded)."""
    return (
        SubmissionImport.objects.filter(consultation=consultation)
        .select_related("uploaded_by")
        .defer("content", "errors")
        .order_by("-created_at", "-id")
    )


def submission_import_get_for_staff(*, user, consultation_id: int, import_id: int) -> SubmissionImport | None:
    """The import if this member of staff may work on its case, else None (a 404)."""
    consultation = consultation_list_workable_by(user=user).filter(pk=consultation_id).first()
    if consultation is None:
        return None
    job = (
        SubmissionImport.objects.select_related("uploaded_by")
        .defer("content")
        .filter(pk=import_id, consultation=consultation)
        .first()
    )
    if job is not None:
        job.consultation = consultation
    return job
