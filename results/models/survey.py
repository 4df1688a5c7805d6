"""Stored survey tallies, so results pages never scan every response."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyTally(models.Model):
    """One survey's last computed tally: when, and over how many responses."""

    consultation = models.OneToOneField(
        "consultations.Consultation",
        verbose_name=_("アンケート"),
        on_delete=models.CASCADE,
        related_name="tally",
    )
    respondents = models.PositiveIntegerField(_("有効回答数（取り下げを除く）"), default=0)
    computed_at = models.DateTimeField(_("集計日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("アンケート集計")
        verbose_name_plural = _("アンケート集計")

    def __str__(self):
        return f"{self.consultation_id}: {self.respondents}件"


class SurveyTallyRow(models.Model):
    """Tally of one question, overall or for one value of one cross attribute.

    ``attribute`` is empty for the whole survey (全体), else one of age_band,
    gender, district, residence_years with ``value`` the stored attribute
    value (district as its id; empty when not given). Rows are kept for
    every value seen, 回答しない included, so the number a cross-tab
    excludes can be derived without rescanning. ``n + no_answer`` is the
    number of respondents in the group.
    """

    tally = models.ForeignKey(
        SurveyTally,
        verbose_name=_("集計"),
        on_delete=models.CASCADE,
        related_name="rows",
    )
    question = models.ForeignKey(
        "consultations.Question",
        verbose_name=_("設問"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    attribute = models.CharField(_("属性"), max_length=20, blank=True)
    value = models.CharField(_("属性の値"), max_length=20, blank=True)
    n = models.PositiveIntegerField(_("回答者数（n）"), default=0)
    no_answer = models.PositiveIntegerField(_("無回答"), default=0)
    text_answers = models.PositiveIntegerField(_("自由記述の回答数"), default=0)
    # {choice id: respondents who chose it}; choices never chosen are absent.
    choice_counts = models.JSONField(_("選択肢ごとの件数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("設問別集計")
        verbose_name_plural = _("設問別集計")
        constraints = [
            models.UniqueConstraint(
                fields=["tally", "question", "attribute", "value"],
                name="uniq_tally_row",
            ),
        ]

    def __str__(self):
        return f"{self.tally_id}:{self.question_id}:{self.attribute}={self.value}"


class SurveyMatrixItem(models.Model):
    """One point of the 重要度×満足度 matrix: a 施策 or topic asked twice.

    The survey asks the importance and the satisfaction of the item in two
    5段階 questions; the matrix plots the item at the mean of each (平均
    ポイント, results.matrix). Written only through
    results.services.survey_matrix.
    """

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("アンケート"),
        on_delete=models.CASCADE,
        related_name="matrix_items",
        limit_choices_to={"kind": "survey"},
    )
    label = models.CharField(_("項目名"), max_length=100, help_text=_("散布図と表に示す名前（例：地縁活動の支援）"))
    importance_question = models.ForeignKey(
        "consultations.Question",
        verbose_name=_("重要度の設問"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "scale5"},
    )
    satisfaction_question = models.ForeignKey(
        "consultations.Question",
        verbose_name=_("満足度の設問"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "scale5"},
    )
    policy = models.ForeignKey(
        "plans.Policy",
        verbose_name=_("施策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("重要度・満足度の項目")
        verbose_name_plural = _("重要度・満足度の項目")
        ordering = ["consultation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "label"], name="uniq_matrix_item_label"),
        ]

    def __str__(self):
        return self.label
