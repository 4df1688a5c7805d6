"""Move the demo's 市長への手紙 through every stage, by the demo accounts, so each role finds work.

Runs the real services (routing with a 分野, draft, 課長 and 部長 approval,
send) as the demo users; the first letters stay at earlier stages, and one
marked 市長確認が必要 waits for the 市長 (mayor@example.jp) after 広聴's
approval. Letters already routed are left alone, so a second run changes
nothing.
"""

from django.contrib.auth import get_user_model

from accounts.models import Department
from letters.models import LetterCase, LetterCategory
from letters.services import letter_reply_approve, letter_reply_draft, letter_reply_send, letter_route

REPLY = "ご意見ありがとうございます。担当課で確認し、対応を検討します。検討の結果は市のホームページでもお知らせします。"
# Stage each letter (after the first, left new for 広聴) is taken to, in order,
# and its 分野 (codes of the default list, letters migration 0003).
STAGES = [
    ("routed", "town-planning"),
    ("drafted", "children"),
    ("kacho", "environment"),
    ("bucho", "roads"),
    ("sent", "town-planning"),
    ("mayor", "administration"),  # marked 市長確認が必要, approved by 広聴, waiting for the 市長
]


def _user(email: str):
    return get_user_model().objects.filter(email=email).first()


def demo_letters_advance() -> int:
    kouchou, staff = _user("kouchou@example.jp"), _user("kyodo@example.jp")
    kacho, bucho = _user("kyodo-chief@example.jp"), _user("shimin-bucho@example.jp")
    lead = _user("kouchou-lead@example.jp")
    department = Department.objects.filter(code="kyodo").first()
    if None in (kouchou, staff, kacho, bucho, lead, department):
        return 0
    cases = list(LetterCase.objects.filter(status=LetterCase.Status.RECEIVED).order_by("pk"))[1:]
    staged = 0
    categories = {c.code: c for c in LetterCategory.objects.filter(active=True)}
    if not categories:
        return 0
    for case, (stage, code) in zip(cases, STAGES, strict=False):
        category = categories.get(code) or next(iter(categories.values()))
        case = letter_route(
            actor=kouchou, case=case, department=department, category=category, mayor_review=stage == "mayor"
        )
        if stage != "routed":
            case = letter_reply_draft(actor=staff, case=case, text=REPLY)
        if stage in ("kacho", "bucho", "sent", "mayor"):
            letter_reply_approve(actor=kacho, case=case, approved=True)
        if stage in ("bucho", "sent", "mayor"):
            letter_reply_approve(actor=bucho, case=LetterCase.objects.get(pk=case.pk), approved=True)
        if stage in ("sent", "mayor"):
            letter_reply_approve(actor=lead, case=LetterCase.objects.get(pk=case.pk), approved=True)
        if stage == "sent":
            letter_reply_send(actor=kouchou, case=LetterCase.objects.get(pk=case.pk))
        staged += 1
    return staged


def demo_surveys_publish() -> int:
    """広聴 publishes last year's closed 市民意識調査 (it has answers); return how many were published."""
    from consultations.models import Consultation
    from results.services.survey_publication import survey_results_publish

    kouchou = _user("kouchou@example.jp")
    if kouchou is None:
        return 0
    published = 0
    for survey in Consultation.objects.filter(kind=Consultation.Kind.SURVEY, status=Consultation.Status.CLOSED):
        if survey.submissions.exists():
            survey_results_publish(consultation=survey, actor=kouchou)
            published += 1
    return published


def demo_themes_compute() -> int:
    """The closed パブリック・コメント get their themes now, so the 作業台's theme page has a map at once.

    The worker would do both steps (analysis, then themes on close); here they
    run inline, through the same idempotent services, so the worker's own
    deliveries later find the work done. Return how many cases got themes.
    """
    from consultations.models import Consultation
    from nlp.services import analysis_run_batch, theme_run_compute, theme_run_request

    kouchou = _user("kouchou@example.jp")
    computed = 0
    for case in Consultation.objects.filter(kind=Consultation.Kind.PUBLIC_COMMENT, status=Consultation.Status.CLOSED):
        ids = list(case.submissions.values_list("pk", flat=True))
        if not ids:
            continue
        analysis_run_batch(submission_ids=ids)
        theme_run_compute(run_id=theme_run_request(actor=kouchou, consultation=case).pk)
        computed += 1
    return computed
