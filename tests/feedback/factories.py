from feedback.services import submission_create
from tests.consultations.factories import ConsultationFactory


def submit(
    consultation=None,
    *,
    body="公園にベンチを増やしてください。",
    channel="web",
    **kwargs,
):
    """Create a submission the way intake does (through the service)."""
    return submission_create(
        consultation=consultation or ConsultationFactory(),
        channel=channel,
        body=body,
        **kwargs,
    )
