"""Mail to an applicant, sent at most once: the 受付番号 and the selection result share this."""

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from committees.models import Application
from core.services import audit_record


def application_mail_once(*, application_id: int, condition: Q, template: str, sent_field: str, action: str) -> bool:
    """Send ``committees/email/<template>_{subject,body}.txt`` if ``sent_field`` is unset; stamp it and audit.

    The row is locked, so two workers running the same task send one mail;
    a repeated call sends nothing and returns False.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "round__committee")
            .filter(condition, pk=application_id, **{f"{sent_field}__isnull": True})
            .exclude(email="")
            .first()
        )
        if application is None:
            return False
        context = {"application": application, "recruitment": application.round}
        send_mail(
            subject=render_to_string(f"committees/email/{template}_subject.txt", context).strip(),
            message=render_to_string(f"committees/email/{template}_body.txt", context),
            from_email=None,
            recipient_list=[application.email],
        )
        setattr(application, sent_field, timezone.now())
        application.save(update_fields=[sent_field])
        audit_record(action=action, target=application)
    return True
