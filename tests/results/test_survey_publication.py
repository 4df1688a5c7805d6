"""Survey results for residents (#15): 広聴 publishes a closed survey's tally; the public page,
CSV and XLSX show the staff figures with small groups hidden (秘匿)."""

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import ADMIN, DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU
from consultations.models import Consultation
from consultations.services import consultation_close
from core.models import AuditEvent, District
from feedback.models import Submission
from feedback.services import submission_create
from feedback.services.intake import SubmissionClosed
from results.models.survey import SurveyTally
from results.selectors.survey import survey_results
from results.selectors.survey_published import published_survey_get
from results.services.survey_matrix import survey_matrix_item_create
from results.services.survey_publication import survey_results_publish, survey_results_unpublish
from results.services.survey_tally import survey_tallies_refresh
from results.tabulate import CrossRow, CrossTab, crosstab_suppress, distribution_from_counts
from results.tasks import survey_tallies_refresh_task
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.support.surveys import respond, scale_question

pytestmark = pytest.mark.django_db

TITLE = "令和8年度 市民意識調査（テスト）"


# ---- 秘匿: the rule on its own ----


def _table(*ns, excluded=0):
    rows = tuple(
        CrossRow(index, f"区分{index}", distribution_from_counts([("y", "はい")], {"y": n}, n=n, no_answer=0))
        for index, n in enumerate(ns)
    )
    return CrossTab(rows=rows, excluded=excluded)


def _hidden(table):
    return [row.distribution.n for row in table.rows if row.suppressed]


def test_small_groups_are_hidden_and_so_is_the_next_smallest_when_subtraction_would_reveal_them():
    # 2 < 5 hidden; 2 is then all that 全体 minus the rows shown gives: the 6 goes too.
    assert _hidden(crosstab_suppress(_table(7, 6, 2), answered=15, min_cell=5)) == [6, 2]
    # Two small groups together are 5 or more: no second row is needed.
    assert _hidden(crosstab_suppress(_table(7, 3, 2), answered=12, min_cell=5)) == [3, 2]
    # 4 people who did not give the attribute make the complement 6: no second row.
    assert _hidden(crosstab_suppress(_table(7, 6, 2), answered=19, min_cell=5)) == [2]
    # An empty group reveals no one and stays; min_cell 1 hides nothing.
    assert _hidden(crosstab_suppress(_table(9, 0, 8), answered=17, min_cell=5)) == []
    assert _hidden(crosstab_suppress(_table(7, 6, 2), answered=15, min_cell=1)) == []


# ---- A closed survey with cross-tab groups of 7, 6 and 2 ----


@pytest.fixture
def kikaku(db):
    return DepartmentFactory(code="kikaku", name="企画課")


@pytest.fixture
def kouchou(db):
    return StaffUserFactory(roles=[KOUCHOU])


@pytest.fixture
def closed_survey(kikaku):
    """15 respondents: 女性 7 (はい 5), 男性 6 (はい 2), その他 2 (はい 2); 問2 is a 5段階 pair's half."""
    survey = ConsultationFactory(
        survey=True,
        department=kikaku,
        title=TITLE,
        opens_at=timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 0)),
        closes_at=timezone.now() + datetime.timedelta(days=1),
        sample_size=50,
    )
    chuo = District.objects.create(code="chuo-p", name="中央", order=1)
    yes_no = QuestionFactory(consultation=survey, number=1, text="町会に加入していますか。", labels=["はい", "いいえ"])
    satisfaction = scale_question(survey, number=2)
    importance = scale_question(survey, number=3)
    QuestionFactory(consultation=survey, number=4, kind="free_text")
    people = (
        [("female", "はい")] * 5 + [("female", "いいえ")] * 2 + [("male", "はい")] * 2 + [("male", "いいえ")] * 4
    ) + [("other", "はい")] * 2
    for gender, answer in people:
        respond(
            survey,
            {yes_no: [answer], satisfaction: ["ややそう思う"], importance: ["そう思う"]},
            attributes={"gender": gender, "age_band": "40s", "district": chuo},
        )
    survey_matrix_item_create(
        consultation=survey,
        actor=None,
        label="町会・自治会の支援",
        importance_question=importance,
        satisfaction_question=satisfaction,
    )
    consultation_close(consultation=survey)
    return survey, {"yes_no": yes_no, "satisfaction": satisfaction, "importance": importance}


def _public(client, survey, suffix="survey-results/"):
    return client.get(f"/consultations/{survey.pk}/{suffix}")


# ---- Publish / unpublish: who, when, what is written ----


def test_the_public_page_is_404_until_kouchou_publishes(client, closed_survey, kouchou):
    survey, _questions = closed_survey
    for suffix in ("survey-results/", "survey-results.csv", "survey-results.xlsx", "survey-matrix.csv"):
        assert _public(client, survey, suffix).status_code == HTTPStatus.NOT_FOUND, suffix
    assert "調査結果を見る" not in client.get(f"/consultations/{survey.pk}/").content.decode()

    survey_results_publish(consultation=survey, actor=kouchou)
    response = _public(client, survey)
    assert response.status_code == HTTPStatus.OK
    assert f"「{TITLE}」調査結果" in response.content.decode()
    detail = client.get(f"/consultations/{survey.pk}/").content.decode()
    assert f'href="/consultations/{survey.pk}/survey-results/"' in detail and "調査結果を見る" in detail
    listing = client.get("/consultations/?status=published").content.decode()
    assert f"「{TITLE}」の調査結果" in listing
    # The パブリック・コメント results page is not the survey's.
    assert client.get(f"/consultations/{survey.pk}/results/").status_code == HTTPStatus.NOT_FOUND


def test_publishing_records_who_and_what_and_freezes_the_tally(closed_survey, kouchou):
    survey, _questions = closed_survey
    published = survey_results_publish(consultation=survey, actor=kouchou)
    assert published.status == Consultation.Status.PUBLISHED and published.published_at is not None
    assert published.results_counts["respondents"] == 15
    event = AuditEvent.objects.get(action="consultation.publish_survey_results", target_id=str(survey.pk))
    assert event.actor == kouchou
    assert event.before == {"status": "closed"} and event.after["respondents"] == 15
    # Paper entry stops; a response withdrawn afterwards stays in the published figures,
    # as the tally is not refreshed (by staff or by the worker).
    with pytest.raises(SubmissionClosed):
        submission_create(consultation=Consultation.objects.get(pk=survey.pk), channel="post", answers=[])
    first = Submission.objects.filter(consultation=survey).order_by("pk").first()
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.WITHDRAWN)
    with pytest.raises(ValidationError) as exc:
        survey_tallies_refresh(consultation=published)
    assert exc.value.code == "published"
    assert survey_tallies_refresh_task(survey.pk) == 15
    assert SurveyTally.objects.get(consultation=survey).respondents == 15
    assert published_survey_get(pk=survey.pk).results[0].distribution.n == 15


def test_only_kouchou_and_admins_may_publish_or_unpublish(closed_survey, kikaku, kouchou):
    survey, _questions = closed_survey
    for roles in ([DEPARTMENT_STAFF], [DEPARTMENT_APPROVER]):
        with pytest.raises(PermissionDenied):
            survey_results_publish(consultation=survey, actor=StaffUserFactory(roles=roles, department=kikaku))
    survey.refresh_from_db()
    assert survey.status == Consultation.Status.CLOSED
    assert not AuditEvent.objects.filter(action__contains="survey_results").exists()
    survey_results_publish(consultation=survey, actor=StaffUserFactory(roles=[ADMIN]))
    with pytest.raises(PermissionDenied):
        survey_results_unpublish(
            consultation=survey, actor=StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kikaku), reason="誤り"
        )
    survey.refresh_from_db()
    assert survey.status == Consultation.Status.PUBLISHED


def test_publishing_refuses_an_open_survey_a_public_comment_and_a_survey_without_answers(kikaku, kouchou):
    open_survey = ConsultationFactory(survey=True, department=kikaku)
    with pytest.raises(ValidationError) as exc:
        survey_results_publish(consultation=open_survey, actor=kouchou)
    assert exc.value.code == "wrong_state"
    with pytest.raises(ValidationError) as exc:
        survey_results_publish(consultation=ConsultationFactory(closed=True), actor=kouchou)
    assert exc.value.code == "wrong_kind"
    empty = ConsultationFactory(survey=True, closed=True, department=kikaku)
    with pytest.raises(ValidationError) as exc:
        survey_results_publish(consultation=empty, actor=kouchou)
    assert exc.value.code == "no_responses"
    empty.refresh_from_db()
    assert empty.status == Consultation.Status.CLOSED


def test_unpublishing_needs_a_reason_and_takes_the_page_down(client, closed_survey, kouchou):
    survey, _questions = closed_survey
    survey_results_publish(consultation=survey, actor=kouchou)
    with pytest.raises(ValidationError):
        survey_results_unpublish(consultation=survey, actor=kouchou, reason="  ")
    survey_results_unpublish(consultation=survey, actor=kouchou, reason="郵送の回答の入力漏れが見つかったため")
    survey.refresh_from_db()
    assert survey.status == Consultation.Status.CLOSED and survey.published_at is None
    event = AuditEvent.objects.get(action="consultation.unpublish_survey_results")
    assert event.summary == "郵送の回答の入力漏れが見つかったため" and event.before["respondents"] == 15
    assert _public(client, survey).status_code == HTTPStatus.NOT_FOUND
    # Closed again: the tally may be refreshed and published anew.
    assert survey_tallies_refresh(consultation=survey).respondents == 15


def test_staff_pages_publish_and_unpublish_for_kouchou_only(client, closed_survey, kikaku, kouchou):
    survey, _questions = closed_survey
    staff = StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kikaku)
    client.force_login(staff)
    page = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "公表は広聴担当が行います。" in page and "調査結果を公表する" not in page
    assert client.post(f"/staff/surveys/{survey.pk}/results/publish/").status_code == HTTPStatus.FORBIDDEN

    client.force_login(kouchou)
    assert "調査結果を公表する" in client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    response = client.post(f"/staff/surveys/{survey.pk}/results/publish/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/consultations/{survey.pk}/survey-results/"
    page = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "公表を取り消す" in page and "いま再集計する" not in page

    missing = client.post(f"/staff/surveys/{survey.pk}/results/unpublish/", {"reason": ""})
    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert "取り消す理由を入力してください" in missing.content.decode()
    done = client.post(f"/staff/surveys/{survey.pk}/results/unpublish/", {"reason": "集計の誤り"})
    assert done.status_code == HTTPStatus.FOUND
    survey.refresh_from_db()
    assert survey.status == Consultation.Status.CLOSED


# ---- What residents read: the staff figures, n everywhere, small groups hidden ----


def test_public_figures_reconcile_with_the_staff_tally(client, closed_survey, kouchou):
    survey, questions = closed_survey
    staff = {r.question.pk: r for r in survey_results(consultation=survey)}
    survey_results_publish(consultation=survey, actor=kouchou)
    public = {r.question.pk: r for r in published_survey_get(pk=survey.pk).results}
    for question_id, result in staff.items():
        assert public[question_id].distribution == result.distribution
        assert public[question_id].text_answers == result.text_answers
        for (key, _label, staff_table), (_k, _l, public_table) in zip(
            result.crosstabs, public[question_id].crosstabs, strict=True
        ):
            for staff_row, public_row in zip(staff_table.rows, public_table.rows, strict=True):
                assert staff_row.distribution == public_row.distribution, key
    html = _public(client, survey).content.decode()
    # 問1: はい 9 of 15 = 60.0%, いいえ 6 = 40.0%, with the base n.
    assert "問1 全体（n=15、無回答 0件）" in html
    assert '<td class="num">9</td>' in html and "60.0%" in html and "40.0%" in html
    assert "有効回答数</dt><dd>15人" in html and "30.0%（15 / 50）" in html  # 回収率 15 / 標本数 50


def test_small_groups_are_hidden_on_the_page_and_the_rule_is_stated(client, closed_survey, kouchou, settings):
    survey, questions = closed_survey
    survey_results_publish(consultation=survey, actor=kouchou)
    html = _public(client, survey).content.decode()
    assert "回答者が5人未満の区分は数値を示さず「秘匿」" in html
    gender = _gender_rows(html)
    # 女性 7 shown; その他 2 hidden, and 男性 6 with it (15 − 7 would give them away otherwise).
    assert gender["女性"].startswith('<td class="num">7</td>') and "71.4%（5）" in gender["女性"]
    assert "秘匿" in gender["男性"] and "33.3%" not in gender["男性"]
    assert "秘匿" in gender["その他"] and "100.0%" not in gender["その他"]
    settings.KOE_SURVEY_MIN_CELL = 2
    html = _public(client, survey).content.decode()
    assert "回答者が2人未満の区分" in html
    gender = _gender_rows(html)
    assert "33.3%（2）" in gender["男性"] and "100.0%（2）" in gender["その他"]


def _gender_rows(html: str) -> dict[str, str]:
    """問1's 性別 table: {row label: the row's cells}."""
    start = html.index("問1の性別別集計")
    table = html[start : html.index("</table>", start)]
    rows = {}
    for label in ("女性", "男性", "その他"):
        at = table.index(f'<th scope="row">{label}</th>')
        rows[label] = table[at + len(f'<th scope="row">{label}</th>') : table.index("</tr>", at)].strip()
    return rows


def test_the_csv_is_the_page_s_tables_in_long_form(client, closed_survey, kouchou):
    survey, _questions = closed_survey
    survey_results_publish(consultation=survey, actor=kouchou)
    response = _public(client, survey, "survey-results.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="survey-results-{survey.pk}.csv"' in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "団体コード",
        "調査番号",
        "調査名",
        "年度",
        "問番号",
        "設問",
        "回答形式",
        "集計区分",
        "区分",
        "回答者数（n）",
        "無回答",
        "選択肢",
        "件数",
        "割合（%）",
    ]

    def row(question, breakdown, group, choice):
        [found] = [
            r
            for r in rows
            if (r["問番号"], r["集計区分"], r["区分"], r["選択肢"]) == (question, breakdown, group, choice)
        ]
        return found

    whole = row("1", "全体", "全体", "はい")
    assert (whole["回答者数（n）"], whole["件数"], whole["割合（%）"], whole["年度"]) == ("15", "9", "60.0", "2026")
    assert whole["調査名"] == TITLE and whole["団体コード"] == "112038"
    assert row("1", "性別", "女性", "はい")["件数"] == "5"
    hidden = row("1", "性別", "その他", "はい")
    assert (hidden["回答者数（n）"], hidden["件数"], hidden["割合（%）"]) == ("X", "X", "X")
    assert row("1", "性別", "男性", "いいえ")["件数"] == "X"
    # A group nobody is in: n 0, no percentage (blank, not 0).
    nobody = row("1", "年代", "20歳代", "はい")
    assert (nobody["回答者数（n）"], nobody["件数"], nobody["割合（%）"]) == ("0", "0", "")
    assert row("4", "全体", "全体", "自由記述の回答数")["件数"] == "0"


def test_the_xlsx_has_the_tables_and_the_matrix_on_two_sheets(client, closed_survey, kouchou):
    survey, _questions = closed_survey
    survey_results_publish(consultation=survey, actor=kouchou)
    response = _public(client, survey, "survey-results.xlsx")
    assert response.status_code == HTTPStatus.OK
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["集計表", "重要度・満足度"]
    tables = list(book["集計表"].iter_rows(values_only=True))
    assert tables[0][0] == "団体コード" and tables[0][-1] == "割合（%）"
    first = tables[1]
    assert first[4:9] == (1, "町会に加入していますか。", "単一回答", "全体", "全体")
    assert first[9] == 15 and first[11:] == ("はい", 9, 60.0)
    assert ("その他", "X") in {(r[8], r[12]) for r in tables[1:] if r[7] == "性別"}
    matrix = list(book["重要度・満足度"].iter_rows(values_only=True))
    assert matrix[0][5] == "項目" and matrix[1][5] == "町会・自治会の支援"
    # そう思う (+2) × 15 and ややそう思う (+1) × 15; a single item is its own axis: 重点維持.
    header = matrix[0]
    record = dict(zip(header, matrix[1], strict=True))
    assert record["重要度（平均ポイント）"] == 2 and record["満足度（平均ポイント）"] == 1
    assert record["重要度の回答者数（n）"] == 15 and record["分類"] == "重点維持"


def test_the_matrix_csv_parses_with_its_n_and_means(client, closed_survey, kouchou):
    survey, _questions = closed_survey
    survey_results_publish(consultation=survey, actor=kouchou)
    raw = _public(client, survey, "survey-matrix.csv").content
    assert raw.startswith(b"\xef\xbb\xbf")
    [record] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert (record["番号"], record["項目"], record["重要度の問番号"], record["満足度の問番号"]) == (
        "1",
        "町会・自治会の支援",
        "3",
        "2",
    )
    assert (record["重要度（平均ポイント）"], record["満足度（平均ポイント）"], record["分類"]) == (
        "2.00",
        "1.00",
        "重点維持",
    )
    html = _public(client, survey).content.decode()
    assert "重要度×満足度の表（平均ポイント）" in html and "<svg" in html


def test_the_feed_links_a_published_survey_to_its_results(client, closed_survey, kouchou):
    survey, _questions = closed_survey
    survey_results_publish(consultation=survey, actor=kouchou)
    feed = client.get("/consultations/feed.atom").content.decode()
    assert f"/consultations/{survey.pk}/survey-results/" in feed


def test_cross_tabs_follow_the_attributes_the_survey_asks(client, kikaku, kouchou):
    """職業 asked: its cross-tab is there; 年代・世帯構成 not asked and carried by no one: none."""
    survey = ConsultationFactory(
        survey=True,
        department=kikaku,
        title="職業別の調査",
        respondent_attributes=["gender", "occupation"],
    )
    question = QuestionFactory(consultation=survey, number=1, labels=["はい", "いいえ"])
    for index in range(12):
        respond(
            survey,
            {question: ["はい" if index % 3 else "いいえ"]},
            attributes={"gender": ("female", "male")[index % 2], "occupation": ("employee", "student")[index % 2]},
        )
    consultation_close(consultation=survey)
    survey_results_publish(consultation=survey, actor=kouchou)
    [result] = published_survey_get(pk=survey.pk).results
    assert [key for key, _label, _table in result.crosstabs] == ["gender", "occupation"]
    html = _public(client, survey).content.decode()
    assert "問1の職業別集計" in html and "問1の性別別集計" in html
    assert "問1の年代別集計" not in html and "問1の世帯構成別集計" not in html
    rows = list(csv.DictReader(io.StringIO(_public(client, survey, "survey-results.csv").content.decode("utf-8-sig"))))
    employees = [
        r for r in rows if (r["集計区分"], r["区分"], r["選択肢"]) == ("職業", "会社員・公務員・団体職員", "はい")
    ]
    assert [(r["回答者数（n）"], r["件数"]) for r in employees] == [("6", "4")]
