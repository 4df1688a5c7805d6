from results.models.dashboard import LetterStat, StatsRefresh, SubmissionStat
from results.models.survey import SurveyMatrixItem, SurveyTally, SurveyTallyRow

__all__ = [
    "LetterStat",
    "StatsRefresh",
    "SubmissionStat",
    "SurveyMatrixItem",
    "SurveyTally",
    "SurveyTallyRow",
]
