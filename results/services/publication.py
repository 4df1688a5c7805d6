"""Publishing the 意見の概要と市の考え方 of a closed パブリック・コメント."""

import datetime

from django.db import transaction

from consultations.models import Consultation
from consultations.services import consultation_results_publish
from nlp.screening import public_text_guard
from opinions.selectors.groups import (
    opinion_counts,
    opinion_group_public_texts,
    opinion_table_ready,
    opinion_table_rows,
)


@transaction.atomic
def results_publish(
    *,
    consultation: Consultation,
    actor,
    decided_on: datetime.date,
    final_url: str | None = None,
    final_file=None,
    revision_summary: str | None = None,
    unrevised: bool | None = None,
    screen_override: bool = False,
    screen_override_reason: str = "",
    ip_address: str | None = None,
) -> Consultation:
    """Publish only when every 意見要旨 is approved and the counts reconcile,
    so the public table equals the one staff approved; the counts are stored
    with the publication and never recounted. The 決定版 (``final_url`` or
    ``final_file``) and the 差異 (``revision_summary``, or ``unrevised``)
    are required (consultations.services.consultation_final_errors); one
    left as None keeps what the case already holds.

    Every text of the table (意見の概要, 市の考え方, 修正後の文案 of the groups
    not withheld) passes the personal-data screen first (nlp.screening): a
    name, an address, a phone number… or a placeholder left from a masked
    draft refuses, unless 広聴 overrides with a reason (audited).
    """
    counts = opinion_counts(consultation=consultation)
    ready = opinion_table_ready(consultation=consultation, counts=counts)
    if ready:
        # An unready table is refused below for that reason first.
        public_text_guard(
            actor=actor,
            texts=[
                text
                for group in opinion_table_rows(consultation=consultation, counted=False)
                for text in opinion_group_public_texts(group=group, keyed=False)
            ],
            target=consultation,
            override=screen_override,
            override_reason=screen_override_reason,
            ip_address=ip_address,
        )
    return consultation_results_publish(
        consultation=consultation,
        actor=actor,
        decided_on=decided_on,
        counts=counts.to_json(),
        ready=ready,
        issues=list(counts.issues),
        final_url=final_url,
        final_file=final_file,
        revision_summary=revision_summary,
        unrevised=unrevised,
    )
