"""#14 in a real browser: 広聴 opens a case's themes, filters by 地区, opens a theme and adopts it as a 意見要旨."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import StaffUserFactory
from tests.support.browser import page_as

TEXTS = [
    "公園のベンチが壊れたままです。公園の修理をお願いします。",
    "近所の公園に遊具を増やしてください。子どもが遊べる公園が少ないです。",
    "公園の照明が暗く、夜の公園は怖いです。照明を明るくしてください。",
    "公園のトイレを洋式にしてほしいです。公園の清掃も増やしてください。",
    "市内循環バスの本数を増やしてください。バスが一時間に一本では不便です。",
    "バス停に屋根とベンチを付けてください。雨の日のバス待ちがつらいです。",
    "循環バスの路線を病院まで延ばしてください。高齢者はバスが頼りです。",
    "バスの時刻表を駅にも掲示してください。バスの案内が分かりにくいです。",
]


def test_kouchou_filters_opens_and_adopts_a_theme(live_server, browser, axe_check, city):
    from accounts.roles import KOUCHOU
    from core.models import District
    from feedback.models import Submission
    from nlp.models import ThemeRun
    from nlp.services import theme_run_compute
    from opinions.models import OpinionGroup
    from tests.feedback.factories import submit
    from tests.support.analysis import analyse

    consultation = city["closed"]
    district = District.objects.order_by("order", "pk").first()
    for n, text in enumerate(TEXTS):
        submission = submit(consultation, body=text, channel="post")
        if n % 2 == 0:
            Submission.objects.filter(pk=submission.pk).update(district=district)
        analyse(submission, masked_text=text)
    staff = StaffUserFactory(roles=[KOUCHOU])
    page = page_as(browser, live_server, staff)
    page.goto(f"{live_server.url}/staff/consultations/{consultation.pk}/workbench/themes/")
    expect(page.get_by_text("まだ計算していません。")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="テーマを計算する").click()
    # Wait for the POST's redirect to land before touching the run or reloading: reloading
    # while that navigation is in flight detaches the page (seen once in CI).
    expect(page.get_by_role("button", name="テーマを計算し直す")).to_be_visible()
    # The worker's job, run here (the live server has no worker of its own).
    theme_run_compute(run_id=ThemeRun.objects.get(consultation=consultation).pk)
    page.reload()
    expect(page.get_by_role("img", name=re.compile("意見の散布図"))).to_be_visible()
    axe_check(page)
    page.get_by_label("地区").select_option(label=district.name)
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_text(re.compile("条件に合う提出：4件"))).to_be_visible()
    axe_check(page)
    park = page.get_by_role("rowheader").filter(has_text="公園").get_by_role("link").first
    park.click()
    members = page.locator("#members ~ ul.card-list")
    expect(members.locator("li")).to_have_count(2)
    axe_check(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader").filter(has_text="公園"))
    row.get_by_role("button", name=re.compile("を意見要旨にする")).click()
    expect(page.get_by_role("status")).to_contain_text("意見の概要を書き直してください")
    axe_check(page)
    group = OpinionGroup.objects.get(consultation=consultation)
    assert group.items.count() == 4 and group.summary.startswith("テーマ：")
