"""Fixtures for the workbench: one case of 道路課 with 課長, 職員 and 広聴."""

import pytest

from accounts.roles import KOUCHOU
from tests.accounts.factories import StaffUserFactory
from tests.feedback.factories import submit
from tests.support.analysis import analyse

CAMPAIGN = "歩道の段差をなくしてください。車いすで通れません。"
MULTI = (
    "いつもお世話になっております。川口太郎です。\n歩道の幅を広げてください。\n自転車レーンを青色で塗装してください。"
)
MULTI_MASKED = (
    "いつもお世話になっております。［氏名］です。\n歩道の幅を広げてください。\n自転車レーンを青色で塗装してください。"
)


@pytest.fixture
def submissions(case):
    """Three campaign copies (web, post, fax), one multi-point letter, one e-mail."""
    consultation, sections = case
    copies = [submit(consultation, body=CAMPAIGN, channel=channel) for channel in ("web", "post", "fax")]
    for copy in copies:
        type(copy).objects.filter(pk=copy.pk).update(duplicate_group_key="campaign-1")
        copy.refresh_from_db()
        analyse(copy, key_phrases=["歩道", "段差", "車いす"])
    multi = submit(consultation, body=MULTI, channel="web", section=sections[0])
    analyse(multi, masked_text=MULTI_MASKED, key_phrases=["歩道", "自転車レーン"])
    other = submit(consultation, body="街路樹の落ち葉を清掃してほしい。", channel="email")
    analyse(other)
    return {"copies": copies, "multi": multi, "other": other}


@pytest.fixture
def second_kouchou(org):
    """Another 広聴担当: the one who checked a group may not approve it too (職務の分離)."""
    return StaffUserFactory(roles=[KOUCHOU], department=org["kocho"])
