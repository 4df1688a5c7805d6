"""/staff/indicators/: 広聴 enter statistic values one at a time or by CSV."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from plans.models import Indicator, IndicatorValue
from tests.accounts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db
URL = "/staff/indicators/"


@pytest.fixture
def kouchou(client):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    return client


def _prefixed(**fields):
    return {f"comparison-{name}": value for name, value in fields.items()}


def _share(plan):
    return Indicator.objects.get(policy__vision__plan=plan, name="町会・自治会加入率")


def test_kouchou_enters_a_value_and_sees_it_listed_with_its_source(kouchou, kawaguchi_plan):
    indicator = _share(kawaguchi_plan)
    page = kouchou.get(URL).content.decode()
    assert "町会・自治会加入率（%）" in page  # a choice of the form
    assert "この施策の推進が図られていると感じる人の割合" not in page  # survey indicators are computed, not typed
    response = kouchou.post(
        URL,
        {
            "indicator": indicator.pk,
            "fiscal_year": "令和5年度",
            "value": "５７．６",
            "source": "statistics",
            "source_detail": "川口市統計書",
            "note": "",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "「町会・自治会加入率」の2023年度の値 57.6 を登録しました。" in html
    assert "統計書（川口市統計書）" in html
    assert IndicatorValue.objects.get(indicator=indicator, fiscal_year=2023).value == Decimal("57.6")


def test_a_wrong_value_is_explained_beside_its_field_and_what_was_typed_stays(kouchou, kawaguchi_plan):
    indicator = _share(kawaguchi_plan)
    response = kouchou.post(
        URL, {"indicator": indicator.pk, "fiscal_year": "去年", "value": "120", "source": "statistics"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "入力内容に2件の問題があります" in html
    assert "年度は 2024 または R6・令和6年度 のように入力してください。" in html
    assert "割合（%）は0から100までの値で入力してください。" in html
    assert 'value="去年"' in html and 'value="120"' in html
    assert not IndicatorValue.objects.exists()


def test_a_csv_file_with_a_bad_row_is_refused_row_by_row(kouchou, kawaguchi_plan):
    raw = "施策コード,指標名,年度,値,出典の種類,出典,備考\nVI-1,町会・自治会加入率,R5,57,業務データ,,\nVI-1,町会・自治会加入率,R4,abc,業務データ,,\n"
    upload = SimpleUploadedFile("values.csv", raw.encode("utf-8"), content_type="text/csv")
    response = kouchou.post(URL + "import/", {"file": upload})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "3行目「値」：値は数字で入力してください" in html
    assert "このファイルからは何も取り込んでいません" in html
    assert not IndicatorValue.objects.exists()
    upload = SimpleUploadedFile("values.csv", raw.replace("abc", "58.1").encode("utf-8"), content_type="text/csv")
    assert "2件の値を取り込みました。" in kouchou.post(URL + "import/", {"file": upload}, follow=True).content.decode()


def test_department_staff_may_not_enter_values(client, kawaguchi_plan):
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF]))
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        URL, {"indicator": _share(kawaguchi_plan).pk, "fiscal_year": "2023", "value": "1", "source": "statistics"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not IndicatorValue.objects.exists()


def test_kouchou_enters_a_comparison_figure_and_the_policy_page_judges_with_it(kouchou, kawaguchi_plan):
    indicator = Indicator.objects.get(policy__vision__plan=kawaguchi_plan, name="国保税収納率（現年度分）")
    kouchou.post(
        URL,
        {
            "indicator": indicator.pk,
            "fiscal_year": "R6",
            "value": "91.40",
            "source": "operations",
            "source_detail": "収納課",
        },
    )
    response = kouchou.post(
        URL + "comparisons/",
        _prefixed(indicator=indicator.pk, fiscal_year="R6", kind="average", source_detail="調べ"),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "比較する団体の平均値を入力してください。" in html
    assert 'value="調べ"' in html  # What was typed stays.
    response = kouchou.post(
        URL + "comparisons/",
        _prefixed(
            indicator=indicator.pk, fiscal_year="R6", kind="average", value="90.10", source_detail="中核市市長会"
        ),
        follow=True,
    )
    assert "2024年度の比較値を登録しました。" in response.content.decode()
    page = re.sub(r"\s+", "", strip_tags(kouchou.get(f"/plan/policies/{indicator.policy.code}/").content.decode()))
    assert "未達成（目標は中核市の平均以上" not in page  # "未達成" also contains "達成".
    assert "達成（目標は中核市の平均以上。2024年度の平均は90.10%（出典：中核市市長会））" in page
