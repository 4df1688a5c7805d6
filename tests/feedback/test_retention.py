"""保存年限 of the submitters' identity: erased just past the limit, kept just inside it."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Consultation
from core.retention import retention_apply, retention_preview
from feedback.models import Submission, SubmitterIdentity
from tests.accounts.factories import UserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db
JST = timezone.get_default_timezone()
IDENTITY = {
    "name": "川口 花子",
    "name_kana": "かわぐち はなこ",
    "postcode": "332-8601",
    "address": "川口市青木2-1-1",
    "phone": "048-258-1110",
    "email": "hanako@example.jp",
}
BODY = "歩道の段差をなくしてください。"


def jst(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=JST)


def submission_closed_at(
    closes_at: datetime.datetime, *, kind=Consultation.Kind.PUBLIC_COMMENT, **kwargs
) -> Submission:
    consultation = ConsultationFactory(kind=kind)
    submission = submit(consultation, body=BODY, identity=IDENTITY, **kwargs)
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.CLOSED, closes_at=closes_at)
    return submission


def identity_kept(submission: Submission) -> bool:
    return SubmitterIdentity.objects.filter(submission=submission).exists()


def test_next_fiscal_year_counting_keeps_until_march_31_and_erases_on_april_1(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = True
    settings.KOE_RETENTION_YEARS_SUBMISSION_IDENTITY = 5
    # Closed on the last day of 2019年度: kept through 2025-03-31 (5 years from 2020-04-01).
    submission = submission_closed_at(jst(2020, 3, 31, 23, 59, 59))

    retention_apply(now=jst(2025, 3, 31, 23, 59))
    assert identity_kept(submission)

    retention_apply(now=jst(2025, 4, 1, 0, 0))
    assert not identity_kept(submission)


def test_counting_from_the_day_keeps_just_inside_and_erases_just_past(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    settings.KOE_RETENTION_YEARS_SUBMISSION_IDENTITY = 5
    closes_at = jst(2021, 6, 15, 23, 59, 59)
    inside = submission_closed_at(closes_at + datetime.timedelta(seconds=2))
    past = submission_closed_at(closes_at)

    retention_apply(now=jst(2026, 6, 16, 0, 0, 0))

    assert identity_kept(inside)
    assert not identity_kept(past)


def test_the_opinion_and_its_receipt_number_stay(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    resident = UserFactory()
    submission = submission_closed_at(timezone.now() - datetime.timedelta(days=6 * 366), author=resident)
    receipt = submission.receipt_number

    retention_apply()

    submission.refresh_from_db()
    assert submission.body == BODY
    assert submission.receipt_number == receipt
    assert submission.submitted_at is not None
    # The account link goes with the identity: the resident's e-mail no longer leads to it.
    assert submission.author_id is None
    assert not hasattr(submission, "identity")


def test_survey_answers_lose_their_identity_too(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    consultation = ConsultationFactory(survey=True)
    submission = Submission.objects.create(
        consultation=consultation,
        receipt_number="SV-2019-000001",
        channel="web",
        submitted_at=timezone.now(),
        author=UserFactory(),
    )
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - datetime.timedelta(days=6 * 366))

    retention_apply()

    submission.refresh_from_db()
    assert submission.author_id is None


def test_an_open_consultation_never_expires(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    submission = submit(ConsultationFactory(), body=BODY, identity=IDENTITY)
    Consultation.objects.filter(pk=submission.consultation_id).update(closes_at=None)

    retention_apply(now=timezone.now() + datetime.timedelta(days=50 * 366))

    assert identity_kept(submission)


def test_letters_are_left_to_the_letter_policy(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    letter = submission_closed_at(timezone.now() - datetime.timedelta(days=6 * 366), kind=Consultation.Kind.LETTER)

    outcomes = {o.kind.key: o for o in retention_preview()}

    assert outcomes["submission_identity"].affected.count == 0
    assert identity_kept(letter)


def test_the_dry_run_counts_and_dates_what_would_go(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    older = submission_closed_at(jst(2018, 5, 1, 23, 59, 59))
    newer = submission_closed_at(jst(2019, 7, 1, 23, 59, 59))

    affected = {o.kind.key: o for o in retention_preview(now=jst(2026, 1, 1))}["submission_identity"].affected

    assert affected.count == 2
    assert timezone.localdate(affected.oldest) == datetime.date(2018, 5, 1)
    assert timezone.localdate(affected.newest) == datetime.date(2019, 7, 1)
    assert identity_kept(older) and identity_kept(newer)


def test_a_rerun_changes_nothing(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    submission_closed_at(timezone.now() - datetime.timedelta(days=6 * 366))

    first = {o.kind.key: o.changed for o in retention_apply()}
    second = {o.kind.key: o.changed for o in retention_apply()}

    assert first["submission_identity"] == 1
    assert second["submission_identity"] == 0
