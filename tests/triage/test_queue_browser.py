"""The staff queue and a submission page in real Chromium, checked by axe-core."""

import os
import re

import pytest

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from feedback.models import Submission
from feedback.services import submission_suggestion_apply
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.plans.factories import PolicyFactory
from tests.support.browser import axe_violations, page_as

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_kouchou_assigns_from_the_queue_and_the_department_reads_masked_text(live_server, browser, roles):
    kyodo = DepartmentFactory(code="kyodo", name="協働推進課")
    PolicyFactory(code="VI-1")
    consultation = ConsultationFactory()
    low = submit(
        consultation,
        body="町会の加入を増やしたい。電話 090-1111-2222",
        identity={"name": "川口 太郎"},
    )
    submit(consultation, body="ボランティアの支援を。")
    from nlp.services import submission_analysis_run

    for submission in Submission.objects.all():
        submission_analysis_run(submission_id=submission.pk)
    submission_suggestion_apply(submission_id=low.pk, policy_code="VI-1", confidence=0.2, group_key="g1")

    kouchou = page_as(browser, live_server, StaffUserFactory(roles=[KOUCHOU]))
    kouchou.goto(f"{live_server.url}/staff/queue/")
    assert re.search(r"VI-1 [^<（]+（推定 20%）", kouchou.content())
    assert axe_violations(kouchou) == []
    kouchou.get_by_label(f"{low.receipt_number} を選択").check()
    kouchou.get_by_label("一括操作").select_option(label="所管課を割り当てる")
    kouchou.get_by_label("割り当てる所管課").select_option(label="協働推進課")
    kouchou.get_by_role("button", name="選択した提出に実行する").click()
    assert "1件を更新しました。" in kouchou.content()
    low.refresh_from_db()
    assert low.department == kyodo

    department = page_as(
        browser,
        live_server,
        StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo),
    )
    department.goto(f"{live_server.url}/staff/submissions/{low.pk}/")
    text = department.get_by_test_id("submission-text").inner_text()
    assert "090-1111-2222" not in text and "町会" in text
    assert axe_violations(department) == []
