"""The upload page answers at once; the import's progress page is accessible and
seen only by staff who may work on the case."""

import datetime
import re
import time
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import KOUCHOU
from feedback.models import Submission, SubmissionImport
from feedback.services import imports as import_service
from feedback.services import submission_import_run
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory

from .imports_support import many_rows

pytestmark = pytest.mark.django_db
Status = SubmissionImport.Status


def _upload(client, consultation, raw, name="意見.csv"):
    return client.post(f"/staff/consultations/{consultation.pk}/import/", {"file": SimpleUploadedFile(name, raw)})


def test_the_upload_only_stores_the_file_and_answers_at_once(client, case, people, django_capture_on_commit_callbacks):
    """Before: the request imported all 2,000 rows itself and passed gunicorn's timeout."""
    consultation, _ = case
    client.force_login(people["staff"])
    raw = many_rows(2000)
    # Staff open the upload page first; it also warms this process's first
    # request (URL conf, templates), which is not the upload's cost.
    assert client.get(f"/staff/consultations/{consultation.pk}/import/").status_code == HTTPStatus.OK
    with (
        mock.patch.object(import_service.submission_import_run_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        started = time.perf_counter()
        response = _upload(client, consultation, raw)
        elapsed = time.perf_counter() - started
    job = SubmissionImport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/staff/consultations/{consultation.pk}/import/{job.pk}/"
    assert elapsed < 0.5, f"upload took {elapsed:.2f} s"
    # The request did none of the import's work: it queued the job after commit.
    assert Submission.objects.count() == 0
    assert (job.status, job.size, job.file_name, job.uploaded_by) == (
        Status.QUEUED,
        len(raw),
        "意見.csv",
        people["staff"],
    )
    delay.assert_called_once_with(job.pk)
    # The worker's part.
    with mock.patch("nlp.tasks.analysis_batch_task.delay"):
        assert submission_import_run(import_id=job.pk).created_count == 2000
    assert Submission.objects.filter(consultation=consultation, entered_by=people["staff"]).count() == 2000


def test_with_the_task_run_eagerly_the_progress_page_shows_the_result(
    client, case, people, django_capture_on_commit_callbacks
):
    consultation, _ = case
    client.force_login(people["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, consultation, many_rows(2))
    page = client.get(response["Location"]).content.decode()
    first, last = Submission.objects.order_by("pk").values_list("receipt_number", flat=True)
    assert f"完了：2件を取り込みました（受付番号 {first}〜{last}）。" in page
    assert "job-progress.js" not in page  # nothing left to poll


def test_the_progress_page_says_how_far_in_text_and_offers_a_reload_link(client, case, people):
    consultation, _ = case
    job = SubmissionImport.objects.create(
        consultation=consultation,
        uploaded_by=people["staff"],
        file_name="大量.csv",
        content_sha256="a" * 64,
        size=10,
        status=Status.RUNNING,
        row_count=2000,
        processed_count=1200,
        updated_at=timezone.now(),
    )
    client.force_login(people["kacho"])
    url = f"/staff/consultations/{consultation.pk}/import/{job.pk}/"
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    status = re.search(r'<p id="import-status" role="status" aria-live="polite"[^>]*>([^<]*)</p>', page)
    assert status and status.group(1) == "確認中：1,200 / 2,000 行"
    assert '<progress id="import-bar" max="2000" value="1200" aria-labelledby="import-status">' in page
    assert f'<a href="{url}">最新の状態を表示する（再読み込み）</a>' in page
    assert re.search(r'<script src="/static/js/job-progress.js" defer></script>', page)
    assert "<script>" not in page  # the CSP allows no inline script
    assert f'data-status-url="{url}status/"' in page
    assert "取り込みを再開する" not in page

    data = client.get(f"{url}status/").json()
    assert data == {
        "status": "running",
        "status_label": "処理中",
        "finished": False,
        "text": "確認中：1,200 / 2,000 行",
        "done": 1200,
        "total": 2000,
        "created": 0,
        "stalled": False,
    }
    SubmissionImport.objects.filter(pk=job.pk).update(processed_count=2000, created_count=700)
    assert client.get(f"{url}status/").json()["text"] == "登録中：700 / 2,000 行"


def test_the_progress_script_is_served_from_static():
    from django.contrib.staticfiles import finders

    path = finders.find("js/job-progress.js")
    assert path
    script = open(path, encoding="utf-8").read()
    assert "data-status-url" in script and "textContent" in script and "location.reload" in script


def test_a_failed_import_lists_its_errors_by_row_in_japanese(client, case, people, django_capture_on_commit_callbacks):
    consultation, _ = case
    client.force_login(people["staff"])
    raw = "提出方法,到着日,意見\r\n電話,2026-11-20,電話の意見\r\n郵送,2026-11-20,\r\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, consultation, raw)
    page = client.get(response["Location"]).content.decode()
    assert "<title>エラー：CSV一括取込の状況" in page
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in page
    assert "2件の誤りがあるため取り込みませんでした" in page
    assert (
        "<td>2</td><td>提出方法</td><td>提出方法は 郵送・FAX・電子メール・持参 のいずれかを入力してください。</td>"
        in page
    )
    assert "<td>3</td><td>意見</td><td>意見を入力してください（空白だけでは送信できません）。</td>" in page
    assert "取り込めませんでした：2件の誤りがあります。どの行も取り込んでいません。" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, consultation, b"PK\x03\x04zip")
    page = client.get(response["Location"]).content.decode()
    assert "<td>ファイル全体</td><td>-</td><td>CSVファイルではありません（XLSX 形式のようです）" in page


def test_the_same_file_again_is_refused_with_a_link_to_the_earlier_import(
    client, case, people, django_capture_on_commit_callbacks
):
    consultation, _ = case
    client.force_login(people["staff"])
    raw = many_rows(3)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, consultation, raw, name="初回.csv")
    earlier = SubmissionImport.objects.get()
    response = _upload(client, consultation, raw, name="もう一度.csv")
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "同じ内容のファイルを" in page and "同じファイルを二度取り込むと意見が重複するため、受け付けません。" in page
    assert f'href="/staff/consultations/{consultation.pk}/import/{earlier.pk}/"' in page
    assert SubmissionImport.objects.count() == 1 and Submission.objects.count() == 3
    # The upload page lists the case's imports.
    page = client.get(f"/staff/consultations/{consultation.pk}/import/").content.decode()
    assert "この案件の取り込み履歴" in page and "初回.csv" in page


def test_an_empty_file_is_a_form_error(client, case, people):
    consultation, _ = case
    client.force_login(people["staff"])
    response = _upload(client, consultation, b"")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "ファイルが空です" in response.content.decode()
    assert not SubmissionImport.objects.exists()


def test_only_staff_who_may_work_on_the_case_see_its_imports(client, case, people):
    consultation, _ = case
    job = SubmissionImport.objects.create(
        consultation=consultation, uploaded_by=people["staff"], file_name="x.csv", content_sha256="b" * 64, size=1
    )
    base = f"/staff/consultations/{consultation.pk}/import/{job.pk}/"
    client.force_login(people["outsider"])  # 保育課: another department
    for url in (base, f"{base}status/"):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(f"{base}resume/").status_code == HTTPStatus.NOT_FOUND
    # The right import id under another case is 404 too.
    other = ConsultationFactory(department=people["outsider"].department)
    assert client.get(f"/staff/consultations/{other.pk}/import/{job.pk}/").status_code == HTTPStatus.NOT_FOUND
    client.force_login(people["kouchou"])
    assert client.get(base).status_code == HTTPStatus.OK
    client.logout()
    assert client.get(base).status_code == HTTPStatus.FOUND  # to the login page
    client.force_login(StaffUserFactory(roles=[KOUCHOU], with_totp=False))
    assert client.get(base).status_code != HTTPStatus.OK  # MFA first
    # After results are published the import stays visible to the case's staff.
    type(consultation).objects.filter(pk=consultation.pk).update(status="published")
    client.force_login(people["staff"])
    page = client.get(base).content.decode()
    assert "CSV一括取込の画面へ戻る" not in page and "職員用ページへ戻る" in page


def test_a_stalled_import_offers_to_resume_and_resuming_queues_it(
    client, case, people, django_capture_on_commit_callbacks
):
    consultation, _ = case
    job = SubmissionImport.objects.create(
        consultation=consultation,
        uploaded_by=people["staff"],
        file_name="x.csv",
        content_sha256="c" * 64,
        size=1,
        status=Status.RUNNING,
        row_count=50,
        processed_count=50,
        created_count=20,
        updated_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    client.force_login(people["staff"])
    url = f"/staff/consultations/{consultation.pk}/import/{job.pk}/"
    page = client.get(url).content.decode()
    assert "しばらく処理が進んでいません" in page and "取り込みを再開する" in page
    assert 'data-stalled="true"' in page
    with (
        mock.patch.object(import_service.submission_import_run_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"{url}resume/", follow=True)
    delay.assert_called_once_with(job.pk)
    page = response.content.decode()
    assert "取り込みの再開を依頼しました。取り込み済みの行は重ねて登録されません。" in page
    assert "取り込みを再開する" not in page
    assert client.get(f"{url}resume/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
