"""Theme runs as staff live with them (#14): progress while computing, a stuck run replaced, 広聴's approval to publish."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from core.models import AuditEvent
from nlp.models import ThemeRun
from nlp.services import theme_run_compute, theme_run_publish, theme_run_request, theme_run_unpublish
from nlp.themes import STAGE_CLUSTER, STAGE_TOKENIZE
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.opinions.test_themes import BUSES, PARKS
from tests.support.analysis import analyse

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    consultation = ConsultationFactory()
    for text in PARKS + BUSES:
        analyse(submit(consultation, body=text), masked_text=text)
    return consultation, StaffUserFactory(roles=[KOUCHOU])


def _page_url(consultation):
    return reverse("staff:workbench_themes", args=[consultation.pk])


def test_the_worker_reports_its_stages_and_the_page_shows_a_progress_bar(client, case, monkeypatch):
    consultation, staff = case
    run = theme_run_request(actor=staff, consultation=consultation)
    seen = []
    import nlp.services.themes as theme_services

    real_build = theme_services.themes_build

    def watching_build(items, **kwargs):
        report = kwargs["progress"]

        def spy(stage, fraction):
            report(stage, fraction)
            row = ThemeRun.objects.get(pk=run.pk)
            seen.append((row.status, row.stage, row.progress))

        return real_build(items, progress=spy)

    monkeypatch.setattr(theme_services, "themes_build", watching_build)
    theme_run_compute(run_id=run.pk)
    stages = [stage for _status, stage, _p in seen]
    assert STAGE_TOKENIZE in stages and STAGE_CLUSTER in stages
    assert all(status == ThemeRun.Status.RUNNING for status, _s, _p in seen)
    percents = [p for *_rest, p in seen]
    assert percents == sorted(percents) and percents[-1] < 100
    run.refresh_from_db()
    assert run.status == ThemeRun.Status.DONE and run.progress == 100

    # A second run mid-way: the page shows its bar and, below, the finished run's themes.
    ThemeRun.objects.create(
        consultation=consultation,
        status=ThemeRun.Status.RUNNING,
        stage=STAGE_TOKENIZE,
        progress=40,
        updated_at=timezone.now(),
    )
    client.force_login(staff)
    page = client.get(_page_url(consultation)).content.decode()
    assert '<progress max="100" value="40"' in page and "計算中：文章の解析（40%）" in page
    assert "js/job-progress.js" in page and "下の結果は" in page and "テーマの散布図" in page
    status = client.get(_page_url(consultation) + "status/").json()
    assert status == {
        "status": "running",
        "finished": False,
        "stalled": False,
        "text": "計算中：文章の解析（40%）",
        "total": 100,
        "done": 40,
    }


def test_a_run_whose_worker_died_is_replaced_by_the_next_request(case):
    consultation, staff = case
    stuck = ThemeRun.objects.create(consultation=consultation, status=ThemeRun.Status.RUNNING, progress=10)
    ThemeRun.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    live = theme_run_request(actor=staff, consultation=consultation)
    assert live.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == ThemeRun.Status.FAILED and "止まった" in stuck.error
    # A live pending run is returned, not duplicated.
    assert theme_run_request(actor=staff, consultation=consultation).pk == live.pk


def test_only_kouchou_publish_a_closed_case_s_themes_and_only_one_run_is_public(case, client):
    consultation, staff = case
    first = theme_run_request(actor=staff, consultation=consultation)
    theme_run_compute(run_id=first.pk)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="意見募集が終わった"):
        theme_run_publish(actor=staff, run=first)
    consultation.status = consultation.Status.CLOSED
    consultation.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        theme_run_publish(
            actor=StaffUserFactory(roles=[DEPARTMENT_STAFF], department=consultation.department), run=first
        )
    theme_run_publish(actor=staff, run=first)
    second = ThemeRun.objects.create(consultation=consultation, status=ThemeRun.Status.DONE, result={"themes": []})
    client.force_login(staff)
    response = client.post(reverse("staff:workbench_themes_publish", args=[consultation.pk]), {"run": second.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.published_at is None and second.published_by == staff
    assert AuditEvent.objects.filter(action="themes.publish").count() == 2
    theme_run_unpublish(actor=staff, run=second)
    assert not ThemeRun.objects.filter(published_at__isnull=False).exists()


def test_a_department_member_sees_no_publish_button_and_cannot_post_it(client, case):
    consultation, staff = case
    consultation.status = consultation.Status.CLOSED
    consultation.department = DepartmentFactory(code="t-parks")
    consultation.save(update_fields=["status", "department"])
    run = theme_run_request(actor=staff, consultation=consultation)
    theme_run_compute(run_id=run.pk)
    member = StaffUserFactory(roles=[DEPARTMENT_STAFF], department=consultation.department)
    client.force_login(member)
    page = client.get(_page_url(consultation)).content.decode()
    assert "テーマの公表を承認する" not in page and "テーマの散布図" in page
    response = client.post(reverse("staff:workbench_themes_publish", args=[consultation.pk]), {"run": run.pk})
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.published_at is None


def test_the_theme_by_policy_table_counts_each_theme_s_submissions_per_policy(client, case):
    from feedback.models import Submission
    from tests.plans.factories import PolicyFactory

    consultation, staff = case
    bus = PolicyFactory(code="T-BUS", title="公共交通の充実")
    buses = Submission.objects.filter(consultation=consultation, body__in=BUSES)
    Submission.objects.filter(pk__in=[s.pk for s in buses[:3]]).update(suggested_policy=bus)
    run = theme_run_request(actor=staff, consultation=consultation)
    theme_run_compute(run_id=run.pk)
    client.force_login(staff)
    page = client.get(_page_url(consultation)).content.decode()
    table = page.split('id="matrix-caption"')[1].split("</table>")[0]
    header = table.split("</thead>")[0]
    assert "T-BUS" in header and "公共交通の充実" in header and "該当なし・未分類" in header
    rows = [r for r in table.split("</tr>") if 'scope="row"' in r]
    cells = {r.split('scope="row">')[1].split("</th>")[0]: r.split("</th>")[1].count("<td>") for r in rows}
    assert all(n == 2 for n in cells.values())  # one column per 施策 seen plus 該当なし
    bus_row = next(r for r in rows if "バス" in r.split("</th>")[0])
    park_row = next(r for r in rows if "公園" in r.split("</th>")[0])
    assert "<td>3</td><td>1</td>" in bus_row and "<td>—</td><td>4</td>" in park_row
