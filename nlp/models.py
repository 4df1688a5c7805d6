"""Stored NLP results, keyed by submission and model version."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionAnalysis(models.Model):
    submission = models.ForeignKey(
        "feedback.Submission", verbose_name=_("提出"), on_delete=models.CASCADE, related_name="analyses",
    )
    model_version = models.CharField(_("モデルのバージョン"), max_length=64)
    analysed_at = models.DateTimeField(_("解析日時"), auto_now_add=True)
    normalized_text = models.TextField(_("正規化テキスト"), blank=True)
    masked_text = models.TextField(_("マスク済みテキスト"), blank=True)
    pii_spans = models.JSONField(_("個人情報の位置"), default=list, blank=True)
    topics = models.JSONField(_("分類候補（確信度付き）"), default=list, blank=True)
    top_confidence = models.FloatField(_("最上位の確信度"), null=True, blank=True, db_index=True)
    key_phrases = models.JSONField(_("キーフレーズ"), default=list, blank=True)
    duplicate_key = models.CharField(_("正規化ハッシュ"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("解析結果")
        verbose_name_plural = _("解析結果")
        ordering = ["-analysed_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "model_version"], name="uniq_analysis_per_version")
        ]

    def __str__(self):
        return f"{self.submission_id}@{self.model_version}"
