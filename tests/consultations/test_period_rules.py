"""Period rules of a consultation that warn rather than refuse."""


def test_a_period_ending_on_a_closed_day_is_warned_about_not_refused():
    """#15: a deadline on a 休日 gets a warning (the office is shut for those who bring it)."""
    import datetime

    from django.utils import timezone

    from consultations.services import consultation_period_warnings
    from tests.consultations.factories import ConsultationFactory

    def closing(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))

    sunday = ConsultationFactory.build(closes_at=closing(datetime.date(2026, 12, 6)))
    new_year = ConsultationFactory.build(closes_at=closing(datetime.date(2026, 12, 30)))
    monday = ConsultationFactory.build(closes_at=closing(datetime.date(2026, 12, 7)))
    assert "2026年12月6日" in consultation_period_warnings(sunday)[0]
    assert consultation_period_warnings(new_year)  # 12/29–1/3
    assert consultation_period_warnings(monday) == []
