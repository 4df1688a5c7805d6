"""Survey results for residents (#15): 広聴 publishes the demo 市民意識調査 from the staff page,
and a resident on a phone (390 px) finds the results, reads a question with its n, a
cross-tab, and the 重要度×満足度 matrix (scatter and table); axe-core at each step, and
the page itself never scrolls sideways."""

import random
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.accounts.factories import StaffUserFactory
from tests.support.browser import page_as
from tests.support.surveys import SCALE_VALUES

from .support import page_scrolls_sideways as _page_scrolls_sideways
from .support import wider_than_viewport

PHONE = {"width": 390, "height": 844}
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
RESPONDENTS = 40  # every demo_weights row of demo.yaml adds up to 40
LABEL_OF_VALUE = {value: label for label, value in SCALE_VALUES.items()}
WEIGHTED_VALUES = (5, 4, 3, 2, 1, 0)
# From demo.yaml's weights, worked out by hand (平均ポイント; axes 0.41 / −0.00):
EXPECTED = {
    "財政基盤の強化": ("0.95", "-0.45", "重点改善"),
    "情報化の推進": ("0.82", "0.44", "重点維持"),
    "広報広聴活動の充実": ("0.18", "0.67", "維持"),
    "市民活動の支援": ("-0.21", "-0.35", "改善"),
}


def _answer_the_demo_survey(survey):
    """40 responses: the matrix questions exactly as their demo_weights, the rest in turn."""
    from core.models import District
    from demo.services import _answer_weights
    from tests.support.surveys import respond

    weights = _answer_weights()
    questions = list(survey.questions.prefetch_related("choices").order_by("number"))
    columns = {}
    for question in questions:
        lean = weights.get((survey.title, question.text))
        if lean:
            values = [value for value, count in zip(WEIGHTED_VALUES, lean, strict=True) for _ in range(count)]
            random.Random(question.number).shuffle(values)
            columns[question] = [LABEL_OF_VALUE[value] for value in values]
    districts = list(District.objects.order_by("order"))
    for index in range(RESPONDENTS):
        picks = {}
        for question in questions:
            if question in columns:
                picks[question] = [columns[question][index]]
            elif question.kind in ("scale5", "single"):
                choices = list(question.choices.all())
                picks[question] = [choices[index % len(choices)].label]
        respond(
            survey,
            picks,
            attributes={
                "gender": ("female", "male")[index % 2],
                "age_band": ("30s", "40s", "50s", "60s")[index % 4],
                "district": districts[index % 3] if districts else None,
            },
        )


def test_a_resident_on_a_phone_reads_the_published_survey_results_and_the_matrix(live_server, browser, axe_check, city):
    from accounts.roles import KOUCHOU
    from consultations.services import consultation_close

    survey = city["survey"]
    _answer_the_demo_survey(survey)
    consultation_close(consultation=survey)

    # 広聴 approves on the staff page; the button publishes and opens the public page.
    staff = page_as(browser, live_server, StaffUserFactory(roles=[KOUCHOU]))
    staff.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/")
    expect(staff.get_by_role("heading", name="重要度×満足度（施策の優先度）")).to_be_visible()
    axe_check(staff)
    staff.get_by_role("button", name="調査結果を公表する").click()
    expect(staff).to_have_url(re.compile(rf"/consultations/{survey.pk}/survey-results/$"))
    staff.context.close()

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/consultations/?status=published")
        axe_check(page)
        page.get_by_role("link", name=f"「{survey.title}」の調査結果").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"「{survey.title}」調査結果")
        axe_check(page)
        assert not _page_scrolls_sideways(page), wider_than_viewport(page)[:3]
        expect(page.locator("dl.summary")).to_contain_text(f"有効回答数{RESPONDENTS}人")
        expect(page.get_by_text("回答者が5人未満の区分は数値を示さず「秘匿」")).to_be_visible()

        # A question: its base n and 無回答 in the caption, each choice with count and %.
        first = page.get_by_role("table", name=re.compile(r"^問1 全体（n=40、無回答 0件）"))
        expect(first).to_be_visible()
        expect(first.get_by_role("row")).to_have_count(7)  # header + 6 choices of the scale

        # The matrix: a scatter in its own scrollable, focusable region and a table of every item.
        figure = page.get_by_role("region", name="重要度×満足度の散布図")
        expect(figure).to_have_attribute("tabindex", "0")
        expect(figure.get_by_role("img", name=re.compile("重要度×満足度の散布図"))).to_be_visible()
        for quadrant in ("重点改善", "重点維持", "改善", "維持"):
            expect(figure.locator("text.matrix-quadrant", has_text=re.compile(f"^{quadrant}$"))).to_have_count(1)
        table = page.get_by_role("table", name="重要度×満足度の表（平均ポイント）")
        expect(table.locator("tbody tr")).to_have_count(6)
        for label, (importance, satisfaction, quadrant) in EXPECTED.items():
            row = table.get_by_role("row").filter(has_text=label)
            cells = row.get_by_role("cell")
            expect(cells.nth(0)).to_have_text(re.compile(rf"^{re.escape(importance)}（n=\d+）$"))
            expect(cells.nth(1)).to_have_text(re.compile(rf"^{re.escape(satisfaction)}（n=\d+）$"))
            expect(cells.nth(2)).to_have_text(quadrant)
        expect(page.get_by_text("「そう思う」+2点")).to_be_visible()
        assert not _page_scrolls_sideways(page), wider_than_viewport(page)[:3]

        # A cross-tab opens from its summary, in a labelled region of its own.
        page.get_by_text("問1の性別別の集計").click()
        crosstab = page.get_by_role("table", name=re.compile(r"^問1の性別別集計"))
        expect(crosstab).to_be_visible()
        expect(crosstab.get_by_role("row").filter(has_text="女性").get_by_role("cell").first).to_have_text("20")
        axe_check(page)
        assert not _page_scrolls_sideways(page), wider_than_viewport(page)[:3]
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "survey-results-phone.png"), full_page=True)
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(SCREENS / "survey-matrix-phone.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(SCREENS / "survey-results-desk.png"), full_page=True)
    finally:
        context.close()
