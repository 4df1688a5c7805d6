"""#14 in a real browser: the themes of a 年度's 市長への手紙, for 広聴 (any 課 or all) and for a 課 (its own only)."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import StaffUserFactory
from tests.e2e.test_themes import TEXTS
from tests.support.browser import page_as


def test_kouchou_computes_a_department_s_letter_themes_and_the_department_sees_only_its_own(
    live_server, browser, axe_check, city
):
    from accounts.models import Department
    from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
    from feedback.models import Submission
    from nlp.models import ThemeRun
    from nlp.services import theme_run_compute
    from tests.feedback.factories import submit
    from tests.support.analysis import analyse

    kyodo = Department.objects.get(code="kyodo")
    keiei = Department.objects.get(code="kikaku-keiei")
    for n, text in enumerate(TEXTS + TEXTS[:2]):
        submission = submit(city["letter"], body=text, reply_requested=False)
        Submission.objects.filter(pk=submission.pk).update(department=kyodo if n < len(TEXTS) else keiei)
        analyse(submission, masked_text=text)

    kouchou = page_as(browser, live_server, StaffUserFactory(roles=[KOUCHOU]))
    kouchou.goto(f"{live_server.url}/staff/letters/")
    kouchou.get_by_role("link", name="市長への手紙のテーマ（年度・課ごと）").click()
    expect(kouchou.get_by_role("heading", level=1)).to_have_text("市長への手紙のテーマ")
    expect(kouchou.get_by_text("まだ計算していません。")).to_be_visible()
    axe_check(kouchou)
    kouchou.get_by_label("所管課").select_option(label=str(kyodo))
    kouchou.get_by_role("button", name="表示する").click()
    expect(kouchou.get_by_role("heading", level=2, name=re.compile(kyodo.name))).to_be_visible()
    kouchou.get_by_role("button", name="テーマを計算する").click()
    expect(kouchou.get_by_role("button", name="テーマを計算し直す")).to_be_visible()
    run = ThemeRun.objects.get(department=kyodo)
    theme_run_compute(run_id=run.pk)  # the worker's job (a no-op if the eager task ran it)
    kouchou.reload()
    expect(kouchou.get_by_role("img", name=re.compile("意見の散布図"))).to_be_visible()
    expect(kouchou.get_by_text(re.compile("8件から計算しました"))).to_be_visible()
    axe_check(kouchou)

    member = page_as(browser, live_server, StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo))
    member.goto(f"{live_server.url}/staff/letters/themes/")
    choice = member.get_by_label("所管課")
    expect(choice.locator("option")).to_have_count(1)
    expect(choice.locator("option")).to_have_text(str(kyodo))
    expect(member.get_by_role("img", name=re.compile("意見の散布図"))).to_be_visible()
    axe_check(member)
    response = member.goto(f"{live_server.url}/staff/letters/themes/?department={keiei.pk}")
    assert response.status == 404
