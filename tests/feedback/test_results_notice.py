"""結果公表のお知らせ (#15): a resident who asks is e-mailed once when the results are published."""

import pytest
from django.core import mail

from consultations.models import Consultation
from consultations.signals import consultation_results_published
from feedback.models import Submission
from feedback.services.receipts import results_notices_sweep
from tests.consultations.factories import ConsultationFactory
from tests.feedback.test_views import _pc_data

from .factories import submit

pytestmark = pytest.mark.django_db


def _notices():
    return [m for m in mail.outbox if "【結果公表】" in m.subject]


def test_the_web_form_offers_the_notice_and_keeps_the_choice_through_confirmation(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    url = f"/consultations/{consultation.pk}/submit/"
    assert "結果が公表されたら、メールで知らせてほしい" in client.get(url).content.decode()
    confirm = client.post(url, {**_pc_data(consultation), "results_notice": "on", "step": "confirm"}).content.decode()
    assert "結果が公表されたら、メールで知らせてほしい" in confirm.split("<dl")[1].split("</dl>")[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_pc_data(consultation), "results_notice": "on", "step": "submit"})
    assert Submission.objects.get().results_notice is True


def test_the_notice_is_kept_only_where_there_is_an_address_and_only_for_a_public_comment():
    consultation = ConsultationFactory()
    with_mail = submit(consultation, identity={"email": "hanako@example.jp"}, results_notice=True)
    without = submit(consultation, identity={"name": "川口 花子"}, results_notice=True)
    not_asked = submit(consultation, identity={"email": "jiro@example.jp"})
    assert (with_mail.results_notice, without.results_notice, not_asked.results_notice) == (True, False, False)
    survey = ConsultationFactory(kind=Consultation.Kind.SURVEY)
    assert submit(survey, body="", results_notice=True).results_notice is False


def test_publication_mails_each_resident_who_asked_once_with_the_results_link(
    published_factory, django_capture_on_commit_callbacks
):
    consultation, asked, withdrawn = published_factory
    with django_capture_on_commit_callbacks(execute=True):
        consultation_results_published.send(sender=Consultation, consultation=consultation)
    notices = _notices()
    assert [m.to for m in notices] == [["hanako@example.jp"]]
    assert f"/consultations/{consultation.pk}/results/" in notices[0].body
    assert asked.receipt_number in notices[0].body and consultation.title in notices[0].subject
    asked.refresh_from_db()
    assert asked.results_notice_sent_at is not None
    # Sent once: a second signal (a retried task) and the sweep add nothing.
    with django_capture_on_commit_callbacks(execute=True):
        consultation_results_published.send(sender=Consultation, consultation=consultation)
    assert results_notices_sweep() == 0
    assert len(_notices()) == 1


def test_the_sweep_sends_what_a_broker_outage_left_unsent(published_factory, settings):
    import datetime

    from django.utils import timezone

    consultation, asked, _withdrawn = published_factory
    settings.KOE_MAIL_SWEEP_AFTER_MINUTES = 10
    Consultation.objects.filter(pk=consultation.pk).update(published_at=timezone.now() - datetime.timedelta(hours=1))
    assert results_notices_sweep() == 1
    assert [m.to for m in _notices()] == [["hanako@example.jp"]]


@pytest.fixture
def published_factory(db):
    from django.utils import timezone

    consultation = ConsultationFactory(title="川口市緑の基本計画（案）")
    asked = submit(consultation, identity={"email": "hanako@example.jp"}, results_notice=True)
    submit(consultation, identity={"email": "jiro@example.jp"})  # did not ask
    withdrawn = submit(consultation, identity={"email": "saburo@example.jp"}, results_notice=True)
    Submission.objects.filter(pk=withdrawn.pk).update(status=Submission.Status.WITHDRAWN)
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.PUBLISHED, published_at=timezone.now()
    )
    consultation.refresh_from_db()
    return consultation, asked, withdrawn


def test_the_notice_is_written_in_the_language_the_resident_wrote_in(django_capture_on_commit_callbacks):
    from django.utils import timezone

    consultation = ConsultationFactory(title="川口市緑の基本計画（案）")
    submit(consultation, identity={"email": "amy@example.com"}, results_notice=True, language="en")
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.PUBLISHED, published_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        consultation_results_published.send(sender=Consultation, consultation=consultation)
    (notice,) = [m for m in mail.outbox if "[Results published]" in m.subject]
    assert "Tell me" not in notice.body and "we let you know that the results" in notice.body
