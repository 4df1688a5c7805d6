import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.celery_app import app as celery_app
from consultations.models import Consultation
from consultations.services import (
    consultation_advance_lifecycle,
    consultation_close,
    consultation_open,
)
from core.models import AuditEvent

from .factories import ConsultationFactory, DraftSectionFactory

pytestmark = pytest.mark.django_db


def _draft(period_days, **kwargs):
    today = timezone.localdate()
    consultation = ConsultationFactory(
        status=Consultation.Status.DRAFT,
        announced_on=today,
        opens_at=timezone.now() - datetime.timedelta(minutes=1),
        closes_at=timezone.make_aware(
            datetime.datetime.combine(
                today + datetime.timedelta(days=period_days - 1),
                datetime.time(23, 59, 59),
            )
        ),
        **kwargs,
    )
    DraftSectionFactory(consultation=consultation)
    return consultation


def test_period_is_counted_from_the_announcement_day_inclusive():
    consultation = ConsultationFactory(
        announced_on=datetime.date(2023, 9, 20),
        closes_at=timezone.make_aware(datetime.datetime(2023, 10, 19, 23, 59, 59)),
    )
    assert consultation.period_days() == 30


def test_a_period_shorter_than_30_days_needs_a_published_reason():
    consultation = _draft(20)
    with pytest.raises(ValidationError) as excinfo:
        consultation_open(consultation=consultation)
    assert "意見募集期間が20日で30日未満です" in excinfo.value.messages[0]
    consultation.short_period_reason = "法改正の施行日に間に合わせるため"
    consultation_open(consultation=consultation)
    assert consultation.status == Consultation.Status.OPEN


def test_public_comment_cannot_open_without_draft_or_submission_address():
    consultation = ConsultationFactory(status=Consultation.Status.DRAFT, submission_address="")
    with pytest.raises(ValidationError) as excinfo:
        consultation_open(consultation=consultation)
    assert set(excinfo.value.messages) >= {
        "提出先（郵送・持参・FAX・メール）を記載してください。",
        "案の本文（項目）または案の資料を登録してください。",
    }


def test_opening_with_a_future_start_schedules_it():
    consultation = _draft(31)
    consultation.opens_at = timezone.now() + datetime.timedelta(days=2)
    consultation.save()
    consultation_open(consultation=consultation)
    assert consultation.status == Consultation.Status.SCHEDULED


def test_lifecycle_closes_expired_and_opens_due_consultations_once():
    expired = ConsultationFactory(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    due = ConsultationFactory(
        status=Consultation.Status.SCHEDULED,
        opens_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    running = ConsultationFactory()
    letter = ConsultationFactory(letter=True)

    assert consultation_advance_lifecycle() == {"opened": 1, "closed": 1}
    assert consultation_advance_lifecycle() == {"opened": 0, "closed": 0}

    statuses = dict(Consultation.objects.values_list("pk", "status"))
    assert statuses[expired.pk] == "closed"
    assert statuses[due.pk] == "open"
    assert statuses[running.pk] == "open"
    assert statuses[letter.pk] == "open"
    assert AuditEvent.objects.filter(action="consultation.closed", target_id=str(expired.pk)).count() == 1


def test_letters_cannot_be_closed():
    with pytest.raises(ValidationError, match="常時受け付ける"):
        consultation_close(consultation=ConsultationFactory(letter=True))


def test_beat_runs_the_lifecycle_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["consultations-advance-lifecycle"]
    assert entry["schedule"] == 60.0
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks
