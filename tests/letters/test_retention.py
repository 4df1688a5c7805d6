"""保存年限 of 市長への手紙: a completed letter is reduced to its statistical and public record."""

import datetime

import pytest
from django.utils import timezone

from core.retention import retention_apply, retention_preview
from feedback.models import Submission, SubmitterIdentity
from letters.models import LetterApproval, LetterCase
from letters.services import (
    letter_file,
    letter_publish,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_send,
    letter_route,
)
from nlp.models import SubmissionAnalysis
from tests.letters.factories import letter_category
from triage.models import InternalNote

from .conftest import LETTER_BODY

pytestmark = pytest.mark.django_db
JST = timezone.get_default_timezone()
REPLY = "川口 太郎様　ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設します。"
SUMMARY = "公園にベンチを増やしてほしい。"
REPLY_SUMMARY = "来年度、ベンチを3基増設します。"


def jst(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=JST)


@pytest.fixture(autouse=True)
def _count_from_the_day(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    settings.KOE_RETENTION_YEARS_LETTER = 5


def sent(case, people, org, *, at: datetime.datetime, publish: bool = False) -> LetterCase:
    letter_route(actor=people["kouchou"], case=case, category=letter_category(), department=org["koen"])
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    for who in ("kacho", "bucho", "kouchou"):
        letter_reply_approve(
            actor=people[who], case=case, approved=True, comment=f"{who}: 川口 太郎様への回答、確認しました"
        )
    letter_reply_send(actor=people["kouchou"], case=case)
    if publish:
        letter_publish(actor=people["kouchou"], case=case, summary=SUMMARY, reply_summary=REPLY_SUMMARY)
    LetterCase.objects.filter(pk=case.pk).update(sent_at=at)
    # What the analysis and staff keep of the letter.
    SubmissionAnalysis.objects.create(
        submission=case.submission,
        model_version="test-v1",
        normalized_text=LETTER_BODY,
        masked_text="〇〇です。青木町公園にベンチを増やしてください。",
        pii_spans=[{"start": 0, "end": 5, "kind": "person"}],
        topics=[{"label": "park", "confidence": 0.9}],
        key_phrases=["ベンチ"],
    )
    InternalNote.objects.create(submission=case.submission, author=people["kouchou"], text="川口 太郎さんに電話済み")
    case.refresh_from_db()
    return case


def erased(case: LetterCase) -> bool:
    case.refresh_from_db()
    submission = Submission.objects.get(pk=case.submission_id)
    analysis = SubmissionAnalysis.objects.get(submission=submission)
    return (
        not SubmitterIdentity.objects.filter(submission=submission).exists()
        and submission.author_id is None
        and submission.body == ""
        and case.routed_text == ""
        and case.reply_text == ""
        and not LetterApproval.objects.filter(case=case).exclude(comment="").exists()
        and not InternalNote.objects.filter(submission=submission).exists()
        and analysis.normalized_text == analysis.masked_text == ""
        and analysis.pii_spans == [] == analysis.key_phrases
    )


def test_a_sent_letter_is_kept_just_inside_and_erased_just_past(letter, make_letter, people, org):
    sent_at = jst(2020, 10, 1, 15, 0)
    past = sent(letter, people, org, at=sent_at)
    inside = sent(make_letter(), people, org, at=sent_at + datetime.timedelta(seconds=2))

    retention_apply(now=jst(2025, 10, 1, 15, 0, 1))

    assert erased(past)
    assert not erased(inside)
    assert inside.reply_text == REPLY
    assert Submission.objects.get(pk=inside.submission_id).body == LETTER_BODY


def test_the_statistical_record_stays(letter, people, org):
    case = sent(letter, people, org, at=jst(2019, 5, 1))
    receipt = case.submission.receipt_number

    retention_apply(now=jst(2026, 1, 1))

    case.refresh_from_db()
    submission = case.submission
    assert submission.receipt_number == receipt
    assert submission.department == org["koen"]
    assert case.status == LetterCase.Status.SENT and case.sent_at == jst(2019, 5, 1)
    assert case.due_on is not None
    assert LetterApproval.objects.filter(case=case).count() == 3
    # Topics carry no text; the dashboards count them.
    assert SubmissionAnalysis.objects.get(submission=submission).topics == [{"label": "park", "confidence": 0.9}]


def test_a_published_letter_keeps_its_published_summaries(letter, people, org):
    case = sent(letter, people, org, at=jst(2019, 5, 1), publish=True)

    retention_apply(now=jst(2026, 1, 1))

    assert erased(case)
    assert case.published
    assert case.published_summary == SUMMARY
    assert case.published_reply_summary == REPLY_SUMMARY


def test_a_letter_still_being_worked_on_never_expires(letter, people, org):
    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    Submission.objects.filter(pk=letter.submission_id).update(submitted_at=jst(2001, 1, 1))

    outcomes = {o.kind.key: o for o in retention_preview(now=jst(2040, 1, 1))}

    assert outcomes["letter"].affected.count == 0
    assert SubmitterIdentity.objects.filter(submission_id=letter.submission_id).exists()


def test_a_filed_letter_counts_from_its_last_change(make_letter, people):
    case = make_letter(reply_requested=False)
    letter_file(actor=people["kouchou"], case=case, disposition=LetterCase.Disposition.NO_REPLY_WANTED)
    LetterCase.objects.filter(pk=case.pk).update(updated_at=jst(2020, 2, 1))

    assert {o.kind.key: o for o in retention_preview(now=jst(2025, 1, 31))}["letter"].affected.count == 0
    outcomes = {o.kind.key: o.changed for o in retention_apply(now=jst(2025, 2, 2))}

    assert outcomes["letter"] == 1
    assert not SubmitterIdentity.objects.filter(submission_id=case.submission_id).exists()
    case.refresh_from_db()
    # The queryset update leaves updated_at alone: the date it counts from stays.
    assert case.updated_at == jst(2020, 2, 1)


def test_a_withdrawn_letter_counts_from_its_withdrawal(letter):
    Submission.objects.filter(pk=letter.submission_id).update(
        status=Submission.Status.WITHDRAWN, withdrawn_at=jst(2019, 4, 10)
    )

    outcomes = {o.kind.key: o.changed for o in retention_apply(now=jst(2024, 4, 11))}

    assert outcomes["letter"] == 1
    assert Submission.objects.get(pk=letter.submission_id).body == ""


def test_fiscal_year_counting_applies_to_letters(letter, people, org, settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = True
    case = sent(letter, people, org, at=jst(2020, 6, 10, 10, 0))  # 2020年度

    retention_apply(now=jst(2026, 3, 31, 23, 59))
    assert not erased(case)

    retention_apply(now=jst(2026, 4, 1, 0, 0))
    assert erased(case)


def test_a_rerun_changes_nothing(letter, people, org):
    sent(letter, people, org, at=jst(2019, 5, 1))

    first = {o.kind.key: o.changed for o in retention_apply(now=jst(2026, 1, 1))}
    second = {o.kind.key: o.changed for o in retention_apply(now=jst(2026, 1, 1))}

    assert first["letter"] == 1
    assert second["letter"] == 0
