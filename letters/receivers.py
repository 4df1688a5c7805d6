"""Every 市長への手紙 is a case for 広聴 from the moment it arrives."""

from django.dispatch import receiver

from consultations.models import Consultation
from feedback.signals import submission_received
from letters.services import letter_case_open


@receiver(submission_received, dispatch_uid="letters.open_case")
def open_case(sender, submission, **kwargs) -> None:
    # Inside intake's transaction: a letter is never stored without its case.
    if submission.consultation.kind == Consultation.Kind.LETTER:
        letter_case_open(submission=submission)
