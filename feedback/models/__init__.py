from .intake import (
    AgeBand,
    Answer,
    Channel,
    Gender,
    ReceiptSequence,
    ResidenceYears,
    Submission,
    SubmitterIdentity,
)
from .letters import LetterApproval, LetterCase, PolicyDepartment
from .stats import LetterStat, StatsRefresh, SubmissionStat
from .triage import InternalNote, OpinionGroup, OpinionItem

__all__ = [
    "AgeBand", "Answer", "Channel", "Gender", "InternalNote", "LetterApproval", "LetterCase", "LetterStat",
    "OpinionGroup", "OpinionItem", "PolicyDepartment", "ReceiptSequence", "ResidenceYears", "Submission", "SubmitterIdentity",
    "StatsRefresh", "SubmissionStat",
]
