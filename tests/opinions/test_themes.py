"""Themes of a case (#14): computed by the worker's service from masked text, shown, filtered, adopted as a 意見要旨."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, District
from nlp.models import ThemeRun
from nlp.services import theme_run_compute, theme_run_request
from opinions.models import OpinionGroup, OpinionItem
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.support.analysis import analyse

pytestmark = pytest.mark.django_db

PARKS = [
    "公園のベンチが壊れたままです。公園の修理をお願いします。",
    "近所の公園に遊具を増やしてください。子どもが遊べる公園が少ないです。",
    "公園の照明が暗く、夜の公園は怖いです。照明を明るくしてください。",
    "公園のトイレを洋式にしてほしいです。公園の清掃も増やしてください。",
]
BUSES = [
    "市内循環バスの本数を増やしてください。バスが一時間に一本では不便です。",
    "バス停に屋根とベンチを付けてください。雨の日のバス待ちがつらいです。",
    "循環バスの路線を病院まで延ばしてください。高齢者はバスが頼りです。",
    "バスの時刻表を駅にも掲示してください。バスの案内が分かりにくいです。",
]


@pytest.fixture
def case(db):
    from accounts.roles import KOUCHOU

    consultation = ConsultationFactory()
    east = District.objects.create(code="t-east", name="東地区")
    submissions = []
    for n, text in enumerate(PARKS + BUSES):
        body = f"山田{n}郎です。電話090-1111-222{n}。" + text
        submission = submit(consultation, body=body)
        if n % 2 == 0:
            type(submission).objects.filter(pk=submission.pk).update(district=east)
        analyse(submission, masked_text="〇〇です。電話XXX-XXXX-XXXX。" + text)
        submissions.append(submission)
    staff = StaffUserFactory(roles=[KOUCHOU])
    return consultation, submissions, staff, east


def _computed(consultation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = theme_run_request(actor=staff, consultation=consultation)
    run.refresh_from_db()
    return run


def test_the_worker_s_service_computes_themes_from_masked_text(case, django_capture_on_commit_callbacks):
    consultation, submissions, staff, _east = case
    run = _computed(consultation, staff, django_capture_on_commit_callbacks)
    assert run.status == ThemeRun.Status.DONE and run.item_count == 8
    themes = [t for t in run.result["themes"] if t["parent"] is None]
    assert len(themes) >= 2
    parks = {s.pk for s in submissions[:4]}
    assert any(set(t["members"]) == parks for t in themes)
    text = str(run.result)
    assert "山田" not in text and "090-" not in text
    assert theme_run_compute(run_id=run.pk) == "skipped"  # idempotent
    assert AuditEvent.objects.filter(action="themes.request").count() == 1


def test_the_page_shows_the_map_and_table_filters_and_opens_a_theme(client, case, django_capture_on_commit_callbacks):
    consultation, submissions, staff, east = case
    run = _computed(consultation, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)
    url = reverse("staff:workbench_themes", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "<svg" in page and "テーマの一覧" in page and "公園" in page
    park = next(t for t in run.result["themes"] if t["parent"] is None and submissions[0].pk in t["members"])
    opened = client.get(url, {"theme": park["id"], "district": east.pk}).content.decode()
    # Only the 東地区 half of the park theme, in masked text.
    assert submissions[0].receipt_number in opened and submissions[2].receipt_number in opened
    assert submissions[1].receipt_number not in opened
    assert "山田" not in opened and "XXX-XXXX-XXXX" in opened


def test_adopting_a_theme_creates_a_draft_group_whose_counts_reconcile(
    client, case, django_capture_on_commit_callbacks
):
    consultation, submissions, staff, _east = case
    run = _computed(consultation, staff, django_capture_on_commit_callbacks)
    park = next(t for t in run.result["themes"] if t["parent"] is None and submissions[0].pk in t["members"])
    client.force_login(staff)
    response = client.post(reverse("staff:workbench_themes_adopt", args=[consultation.pk]), {"theme": park["id"]})
    group = OpinionGroup.objects.get(consultation=consultation)
    assert response.status_code == 302 and response["Location"] == reverse(
        "staff:workbench_group", args=[consultation.pk, group.pk]
    )
    assert group.summary.startswith("テーマ：") and group.review == OpinionGroup.Review.DRAFT
    assert set(OpinionItem.objects.filter(group=group).values_list("submission_id", flat=True)) == set(park["members"])
    assert AuditEvent.objects.filter(action="opinion_group.from_theme", target_id=str(group.pk)).exists()


def test_another_department_cannot_open_or_adopt_the_themes(client, case, django_capture_on_commit_callbacks):
    from accounts.roles import DEPARTMENT_STAFF
    from tests.accounts.factories import DepartmentFactory

    consultation, _submissions, staff, _east = case
    run = _computed(consultation, staff, django_capture_on_commit_callbacks)
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=DepartmentFactory(code="t-other")))
    assert client.get(reverse("staff:workbench_themes", args=[consultation.pk])).status_code == 404
    theme_id = run.result["themes"][0]["id"]
    assert (
        client.post(reverse("staff:workbench_themes_adopt", args=[consultation.pk]), {"theme": theme_id}).status_code
        == 404
    )
    assert not OpinionGroup.objects.exists()


def test_a_public_comment_that_closes_gets_its_themes_queued(case):
    from consultations.services import consultation_close

    consultation, _submissions, _staff, _east = case
    consultation_close(consultation=consultation)
    run = ThemeRun.objects.get(consultation=consultation)
    assert run.status in (ThemeRun.Status.QUEUED, ThemeRun.Status.DONE)


def test_a_theme_no_policy_covers_is_marked_as_a_candidate_outside_the_plan(
    client, case, django_capture_on_commit_callbacks
):
    from feedback.models import Submission
    from tests.plans.factories import PolicyFactory

    consultation, submissions, staff, _east = case
    policy = PolicyFactory(code="T-BUS")
    Submission.objects.filter(pk__in=[s.pk for s in submissions[4:]]).update(suggested_policy=policy)
    _computed(consultation, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)
    page = client.get(reverse("staff:workbench_themes", args=[consultation.pk])).content.decode()
    rows = page.split("</tr>")
    park_row = next(r for r in rows if 'scope="row"' in r and "公園" in r.split('scope="row"')[1].split("</th>")[0])
    bus_row = next(r for r in rows if 'scope="row"' in r and "バス" in r.split('scope="row"')[1].split("</th>")[0])
    assert "計画の施策にない論点の候補" in park_row and "計画の施策にない論点の候補" not in bus_row
    assert "T-BUS 4件" in bus_row
