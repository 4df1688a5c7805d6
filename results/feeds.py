"""Atom feed of consultations: opened, closing soon, results published, draft withdrawn."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from consultations.models import Consultation
from consultations.selectors import consultation_list_public
from core.site import absolute_reverse, absolute_url, tag_uri

FEED_SIZE = 50
# "締切間近" means the last week of the period.
CLOSING_SOON = datetime.timedelta(days=7)
# The event labels as ASCII, for entry ids.
_EVENT_KEYS = {
    "結果公表": "published",
    "締切間近": "closing-soon",
    "募集終了": "closed",
    "意見募集開始": "opened",
    "案の取り下げ": "withdrawn",
}
WITHDRAWN = "案の取り下げ"


def _event(consultation: Consultation, now) -> tuple[str, datetime.datetime]:
    """Return (label, when) of the latest thing that happened to a case."""
    if consultation.status == Consultation.Status.WITHDRAWN:
        # 行政手続法43条4項: the withdrawal is published like a result.
        return WITHDRAWN, consultation.withdrawn_at or consultation.updated_at
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
    """Links and ids are absolute on KOE_SITE_URL (a reader has no other host;
    Django's default would take django.contrib.sites' "example.com")."""

    feed_type = Atom1Feed

    def link(self):
        return absolute_url(reverse("consultations:list"))

    def feed_url(self):
        return absolute_url(reverse("results:feed"))

    def title(self):
        return f"{settings.SITE_TITLE}：意見募集と結果公表"

    def subtitle(self):
        return "パブリック・コメントとアンケートの開始・締切間近・結果公表・案の取り下げのお知らせ"

    def items(self):
        now = timezone.now()
        events = [(c, *_event(c, now)) for c in consultation_list_public()]
        events.sort(key=lambda row: row[2], reverse=True)
        return events[:FEED_SIZE]

    def item_title(self, item):
        consultation, label, _when = item
        return f"【{label}】{consultation.title}"

    def item_description(self, item):
        consultation, label, when = item
        if label == WITHDRAWN:
            day = timezone.localdate(when)
            return f"{day:%Y年%-m月%-d日}に案を取り下げました。この案による計画・条例等は定めません。取り下げの理由：{consultation.withdrawal_reason}"
        return consultation.summary

    def item_link(self, item):
        consultation, label, _when = item
        if label != "結果公表":
            name = "consultations:detail"
        elif consultation.kind == Consultation.Kind.SURVEY:
            name = "results:survey_detail"
        else:
            name = "results:detail"
        return absolute_reverse(name, consultation.pk)

    def item_guid(self, item):
        # One entry per event of a case; the event has no page of its own,
        # so its id is a tag: URI minted on the day of the event.
        consultation, label, when = item
        day = timezone.localdate(when) if timezone.is_aware(when) else when.date()
        return tag_uri(day=day, specific=f"consultation/{consultation.pk}/{_EVENT_KEYS[label]}")

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item[2]

    def item_pubdate(self, item):
        return item[2]
