"""Redis down (cache and broker): intake still stores the opinion and shows the 受付番号.

Before the fix the rate limiter's cache call raised ConnectionError (a bare
500, the text lost) and, with the cache fixed, enqueuing the analysis on
commit raised kombu's OperationalError into the request after the row was
committed. When Redis is back the sweepers pick up what was not queued.
"""

import datetime
import logging
import time
from http import HTTPStatus

import pytest
from django.core import mail
from django.utils import timezone

from feedback.models import Submission
from feedback.services.receipts import submission_receipts_sweep
from nlp.models import SubmissionAnalysis
from nlp.tasks import analysis_sweep_task
from tests.consultations.factories import ConsultationFactory
from tests.support.outage import broker_down, broker_unreachable, cache_down  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "駅前の駐輪場を増やしてください。朝は満車で停められません。"


def _web_data(**overrides):
    data = {
        "section": "",
        "section_text": "",
        "body": BODY,
        "eligibility": "resident",
        "eligibility_detail": "",
        "name": "川口 太郎",
        "name_kana": "かわぐち たろう",
        "organization": "",
        "postcode": "332-8601",
        "address": "川口市青木2-1-1",
        "phone": "",
        "email": "taro@example.jp",
        "step": "submit",
    }
    data.update(overrides)
    return data


def test_web_form_stores_the_opinion_and_shows_the_receipt_while_redis_is_down(
    client,
    cache_down,  # noqa: F811
    broker_down,  # noqa: F811
    caplog,
):
    consultation = ConsultationFactory()
    url = f"/consultations/{consultation.pk}/submit/"
    caplog.set_level(logging.WARNING)

    started = time.monotonic()
    done = client.post(url, _web_data())
    elapsed = time.monotonic() - started

    assert done.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert submission.body == BODY
    receipt = client.get(done["Location"])
    assert receipt.status_code == HTTPStatus.OK
    assert submission.receipt_number in receipt.content.decode()
    # Nothing was analysed or mailed yet; both were logged, not raised.
    assert not SubmissionAnalysis.objects.exists()
    assert mail.outbox == []
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "Redis cache unreachable" in logged and "broker unavailable" in logged
    # Short timeouts: an outage costs the resident well under two seconds.
    assert elapsed < 5


def test_api_submission_answers_201_while_redis_is_down(api_client, cache_down, broker_down):  # noqa: F811
    consultation = ConsultationFactory()
    response = api_client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {"body": BODY, "identity": {"email": "hanako@example.jp"}},
        format="json",
    )
    assert response.status_code == HTTPStatus.CREATED
    assert Submission.objects.get().receipt_number == response.json()["receipt_number"]


def test_thirty_submissions_in_a_row_are_all_stored_while_redis_is_down(client, settings, cache_down, broker_down):  # noqa: F811
    settings.KOE_SUBMIT_RATE = "100/h"
    consultation = ConsultationFactory()
    statuses = [
        client.post(f"/consultations/{consultation.pk}/submit/", _web_data(), REMOTE_ADDR=f"198.51.100.{i}").status_code
        for i in range(30)
    ]
    assert statuses == [HTTPStatus.FOUND] * 30
    assert Submission.objects.count() == 30


def test_the_limit_still_holds_per_process_while_redis_is_down(client, settings, cache_down, broker_down):  # noqa: F811
    """The counters fall back to this process's memory, so a campaign is still slowed."""
    settings.KOE_SUBMIT_RATE = "2/h"
    consultation = ConsultationFactory()
    url = f"/consultations/{consultation.pk}/submit/"
    assert [client.post(url, _web_data()).status_code for _ in range(2)] == [HTTPStatus.FOUND] * 2

    limited = client.post(url, _web_data())

    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(limited["Retry-After"]) > 0
    page = limited.content.decode()
    assert "受付を一時停止しています" in page and BODY in page  # what was typed is kept
    assert Submission.objects.count() == 2


def test_when_the_broker_is_back_the_sweepers_analyse_and_mail_what_was_missed(client, cache_down):  # noqa: F811
    consultation = ConsultationFactory()
    with broker_unreachable():
        client.post(f"/consultations/{consultation.pk}/submit/", _web_data())
    submission = Submission.objects.get()
    assert not SubmissionAnalysis.objects.exists()
    assert submission.receipt_sent_at is None

    # Beat runs the sweepers every 10 minutes (tasks run in-process here).
    analysis_sweep_task.delay()
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert submission_receipts_sweep(now=later) == 1

    assert SubmissionAnalysis.objects.filter(submission=submission).count() == 1
    assert [m.to for m in mail.outbox] == [["taro@example.jp"]]
    assert submission.receipt_number in mail.outbox[0].body
    # A second sweep sends nothing more.
    assert submission_receipts_sweep(now=later) == 0
    assert len(mail.outbox) == 1
