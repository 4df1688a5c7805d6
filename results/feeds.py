"""Atom feed of consultations: opened, closing soon, results published."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from consultations.models import Consultation
from consultations.selectors import consultation_list_public

FEED_SIZE = 50
# "締切間近" means the last week of the period.
CLOSING_SOON = datetime.timedelta(days=7)


def _event(consultation: Consultation, now) -> tuple[str, datetime.datetime]:
    """Return (label, when) of the latest thing that happened to a case."""
    if consultation.status == Consultation.Status.PUBLISHED and consultation.published_at:
        return "結果公表", consultation.published_at
    if (
        consultation.status == Consultation.Status.OPEN
        and consultation.closes_at
        and consultation.closes_at - now <= CLOSING_SOON
    ):
        return "締切間近", consultation.closes_at - CLOSING_SOON
    if consultation.status == Consultation.Status.CLOSED:
        return "募集終了", consultation.closes_at or consultation.updated_at
    return "意見募集開始", consultation.opens_at or consultation.created_at


class ConsultationFeed(Feed):
    feed_type = Atom1Feed
    link = "/consultations/"

    def title(self):
        return f"{settings.SITE_TITLE}：意見募集と結果公表"

    def subtitle(self):
        return "パブリック・コメントとアンケートの開始・締切間近・結果公表のお知らせ"

    def items(self):
        now = timezone.now()
        events = [
            (c, *_event(c, now)) for c in consultation_list_public().exclude(status=Consultation.Status.WITHDRAWN)
        ]
        events.sort(key=lambda row: row[2], reverse=True)
        return events[:FEED_SIZE]

    def item_title(self, item):
        consultation, label, _when = item
        return f"【{label}】{consultation.title}"

    def item_description(self, item):
        return item[0].summary

    def item_link(self, item):
        consultation, label, _when = item
        name = "results:detail" if label == "結果公表" else "consultations:detail"
        return reverse(name, args=[consultation.pk])

    def item_guid(self, item):
        consultation, label, when = item
        return f"consultation-{consultation.pk}-{label}-{when:%Y%m%d}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item[2]

    def item_pubdate(self, item):
        return item[2]
