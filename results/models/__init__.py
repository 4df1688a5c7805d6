from results.models.dashboard import LetterStat, StatsRefresh, SubmissionStat
from results.models.survey import SurveyTally, SurveyTallyRow

__all__ = [
    "LetterStat",
    "StatsRefresh",
    "SubmissionStat",
    "SurveyTally",
    "SurveyTallyRow",
]
