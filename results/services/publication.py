"""Publishing the 意見の概要と市の考え方 of a closed パブリック・コメント."""

import datetime

from django.db import transaction

from consultations.models import Consultation
from consultations.services import consultation_results_publish
from opinions.selectors.groups import opinion_counts, opinion_table_ready


@transaction.atomic
def results_publish(*, consultation: Consultation, actor, decided_on: datetime.date) -> Consultation:
    """Publish only when every 意見要旨 is approved and the counts reconcile,
    so the public table equals the one staff approved; the counts are stored
    with the publication and never recounted."""
    counts = opinion_counts(consultation=consultation)
    return consultation_results_publish(
        consultation=consultation,
        actor=actor,
        decided_on=decided_on,
        counts=counts.to_json(),
        ready=opinion_table_ready(consultation=consultation, counts=counts),
        issues=list(counts.issues),
    )
