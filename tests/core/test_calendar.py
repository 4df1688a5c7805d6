import datetime

import pytest

from core.calendar import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (D(2026, 11, 27), True),  # Friday
        (D(2026, 11, 28), False),  # Saturday
        (D(2026, 11, 23), False),  # 勤労感謝の日
        (D(2026, 12, 28), True),  # 御用納め
        (D(2026, 12, 29), False),  # 年末年始
        (D(2027, 1, 3), False),
        (D(2027, 1, 4), True),  # 御用始め
        (D(2026, 9, 22), False),  # 国民の休日 (between 敬老の日 and 秋分の日)
    ],
)
def test_working_days_follow_the_city_calendar(day, open_):
    assert is_working_day(day) is open_


def test_ten_working_days_skip_weekends_holidays_and_year_end():
    # Received Fri 2026-12-18: 21,22,23,24,25,28, (29–3 closed), 4,5,6,7.
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 7)
    assert working_days_between(D(2026, 12, 18), D(2027, 1, 7)) == 10


def test_city_specific_closures_are_respected(settings):
    settings.KOE_CITY_CLOSED_DAYS = ["2026-11-27"]
    assert not is_working_day(D(2026, 11, 27))
