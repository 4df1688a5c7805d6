"""Publishing the results: only closed cases with every group approved."""

import pytest
from django.core.exceptions import ValidationError

from consultations.models import Consultation
from core.models import AuditEvent
from results.services.publication import results_publish
from tests.consultations.factories import ConsultationFactory

from .conftest import DECIDED_ON, approve

pytestmark = pytest.mark.django_db


def test_publishing_refuses_while_groups_are_unapproved(closed_case, people):
    consultation, groups = closed_case
    approve(groups["campaign"], people)  # the other two are still drafts
    with pytest.raises(ValidationError) as exc:
        results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON)
    assert exc.value.code == "not_ready"
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED and consultation.published_at is None


def test_publishing_refuses_an_open_case(people):
    consultation = ConsultationFactory(department=people["road"])
    with pytest.raises(ValidationError) as exc:
        results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON)
    assert exc.value.code == "wrong_state"


def test_publishing_an_approved_case_sets_dates_and_audits(approved_case, people):
    consultation, _groups = approved_case
    published = results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON)
    assert published.status == Consultation.Status.PUBLISHED
    assert published.decided_on == DECIDED_ON and published.published_at is not None
    event = AuditEvent.objects.get(action="consultation.publish_results", target_id=str(consultation.pk))
    assert event.before == {"status": "closed"}
    assert event.after["status"] == "published" and event.after["decided_on"] == "2026-03-10"
    assert event.actor == people["kouchou"]


def test_admin_action_publishes_through_the_service(approved_case, people, rf):
    from unittest import mock

    from results.admin import publish_results

    consultation, _groups = approved_case
    request = rf.post("/admin/consultations/consultation/")
    request.user = people["kouchou"]
    modeladmin = mock.Mock()
    publish_results(modeladmin, request, Consultation.objects.filter(pk=consultation.pk))
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED
    assert consultation.decided_on is not None
    assert AuditEvent.objects.filter(action="consultation.publish_results").count() == 1
    # A second run reports the error instead of publishing twice.
    publish_results(modeladmin, request, Consultation.objects.filter(pk=consultation.pk))
    assert AuditEvent.objects.filter(action="consultation.publish_results").count() == 1


def test_published_pages_show_the_counts_stored_at_publication(client, published_case):
    """The record is fixed when published: pages read the stored counts, not every item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from feedback.models import Submission
    from opinions.models import OpinionItem

    consultation, groups = published_case
    assert consultation.results_counts["submissions"] == 5
    assert consultation.results_counts["by_group"][str(groups["campaign"].pk)] == 3
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/consultations/{consultation.pk}/results/").content.decode()
    assert "（同趣旨 3件）" in page
    assert not any(
        '"opinions_opinionitem"' in q["sql"] or '"feedback_submission"' in q["sql"] for q in queries.captured_queries
    )
    # Later changes to the working tables do not rewrite the published record.
    Submission.objects.filter(consultation=consultation).update(channel="web")
    OpinionItem.objects.filter(group=groups["campaign"]).first().delete()
    again = client.get(f"/consultations/{consultation.pk}/results.json").json()
    assert {row["channel"] for row in again["counts"]["by_channel"]} == {
        "web",
        "post",
        "fax",
        "email",
    }
    assert next(r for r in again["rows"] if r["number"] == groups["campaign"].number)["item_count"] == 3


def test_the_results_workbook_is_built_once_per_publication(client, published_case, monkeypatch):
    from results.views import published as results_views

    built = []
    real = results_views.workbook_build
    monkeypatch.setattr(results_views, "workbook_build", lambda **kw: built.append(1) or real(**kw))
    consultation, _groups = published_case
    first = client.get(f"/consultations/{consultation.pk}/results.xlsx").content
    second = client.get(f"/consultations/{consultation.pk}/results.xlsx").content
    assert first == second and len(built) == 1


def test_publishing_tells_the_residents_who_asked(approved_case, people, django_capture_on_commit_callbacks):
    """#15: the publication service announces itself; the 結果公表のお知らせ go out after commit."""
    from django.core import mail

    from feedback.models import Submission

    consultation, _groups = approved_case
    Submission.objects.filter(consultation=consultation, identity__email="hanako@example.jp").update(
        results_notice=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON)
    notices = [m for m in mail.outbox if "【結果公表】" in m.subject]
    assert [m.to for m in notices] == [["hanako@example.jp"]]
