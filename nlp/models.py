"""Stored NLP results, training labels and trained topic model versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, KOUCHOU
from core.personal_data import PersonalData


class DuplicateGroup(models.Model):
    """Near-identical submissions of one consultation (「同趣旨 N件」)."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="duplicate_groups",
    )
    key = models.CharField(_("グループキー"), max_length=64)
    size = models.PositiveIntegerField(_("件数"))
    key_phrases = models.JSONField(_("キーフレーズ"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("同趣旨グループ")
        verbose_name_plural = _("同趣旨グループ")
        ordering = ["-size"]
        constraints = [models.UniqueConstraint(fields=["consultation", "key"], name="uniq_duplicate_group_key")]

    def __str__(self):
        return f"{self.key[:8]} ({self.size})"


class SubmissionAnalysis(models.Model):
    PERSONAL_DATA = PersonalData(
        file="意見の解析結果",
        purpose="施策への分類、同趣旨の意見のまとまりの検出、所管課に見せる本文の個人情報のマスク",
        fields=("normalized_text", "masked_text", "pii_spans"),
        subjects="意見・回答・手紙を提出した者（本文に書かれた個人情報）",
        retention=("letter", "パブリック・コメント・アンケートは意見本文と同じく保存"),
        seen_by=(KOUCHOU, ADMIN),
        source="提出された本文からシステムが作成",
        note="所管課職員・課長には、個人情報を伏せた本文（masked_text）だけを表示します。",
    )

    submission = models.ForeignKey(
        "feedback.Submission",
        verbose_name=_("提出"),
        on_delete=models.CASCADE,
        related_name="analyses",
    )
    model_version = models.CharField(_("モデルのバージョン"), max_length=64)
    analysed_at = models.DateTimeField(_("解析日時"), auto_now_add=True)
    normalized_text = models.TextField(_("正規化テキスト"), blank=True)
    masked_text = models.TextField(_("マスク済みテキスト"), blank=True)
    pii_spans = models.JSONField(_("個人情報の位置"), default=list, blank=True)
    topics = models.JSONField(_("分類候補（確信度付き）"), default=list, blank=True)
    top_confidence = models.FloatField(_("最上位の確信度"), null=True, blank=True, db_index=True)
    no_topic = models.BooleanField(_("該当なし（どの施策にも当たらない推定）"), default=False)
    section_topics = models.JSONField(_("該当箇所の候補（確信度付き）"), default=list, blank=True)
    key_phrases = models.JSONField(_("キーフレーズ"), default=list, blank=True)
    duplicate_key = models.CharField(_("正規化ハッシュ"), max_length=64, blank=True, db_index=True)
    duplicate_group = models.ForeignKey(
        DuplicateGroup,
        verbose_name=_("同趣旨グループ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="analyses",
    )
    grouped_at = models.DateTimeField(_("グループ化日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("解析結果")
        verbose_name_plural = _("解析結果")
        ordering = ["-analysed_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "model_version"], name="uniq_analysis_per_version")
        ]

    def __str__(self):
        return f"{self.submission_id}@{self.model_version}"


class TopicLabel(models.Model):
    """A staff-confirmed 施策 for a submission: the training data."""

    submission = models.OneToOneField(
        "feedback.Submission",
        verbose_name=_("提出"),
        on_delete=models.CASCADE,
        related_name="topic_label",
    )
    label_id = models.CharField(_("施策コード"), max_length=64, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("確認日時"), auto_now=True)

    class Meta:
        verbose_name = _("確認済みの分類")
        verbose_name_plural = _("確認済みの分類")

    def __str__(self):
        return f"{self.submission_id} → {self.label_id}"


class TopicModelVersion(models.Model):
    """A trained topic classifier with the metrics it was promoted on."""

    version = models.CharField(_("バージョン"), max_length=64, unique=True)
    created = models.DateTimeField(_("学習日時"), auto_now_add=True)
    n_train = models.PositiveIntegerField(_("学習件数"))
    metrics = models.JSONField(_("評価指標"), default=dict)
    baseline_metrics = models.JSONField(_("比較対象の評価指標"), default=dict)
    promoted = models.BooleanField(_("採用中"), default=False, db_index=True)
    classifier = models.BinaryField(_("モデル"), editable=False)

    class Meta:
        verbose_name = _("分類モデル")
        verbose_name_plural = _("分類モデル")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.version}{' *' if self.promoted else ''}"


class ThemeRun(models.Model):
    """One computation of themes (nlp.themes) over a consultation's masked texts.

    A run covers the whole consultation, or — for the always-open 市長への手紙 —
    the letters of one 年度 (April–March, by 受付日時) and/or one 所管課.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("計算待ち")
        RUNNING = "running", _("計算中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    consultation = models.ForeignKey(
        "consultations.Consultation", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="theme_runs"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("所管課"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Where a running computation is (nlp.themes reports its steps), for the page's progress bar.
    stage = models.CharField(_("計算の段階"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("進み具合（%）"), default=0)
    updated_at = models.DateTimeField(_("最終更新"), null=True, blank=True)
    # A 広聴 member's approval puts the themes (labels, key phrases, counts) on the
    # closed consultation's public results page.
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公表を承認した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("依頼した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    finished_at = models.DateTimeField(_("計算日時"), null=True, blank=True)
    model_version = models.CharField(_("方法のバージョン"), max_length=32, blank=True)
    item_count = models.PositiveIntegerField(_("対象の件数"), default=0)
    # {"themes": [...], "unassigned": [submission ids]} (nlp.themes.ThemeResult.as_json,
    # members as submission ids) and {submission id: [x, y]} for the map.
    result = models.JSONField(_("結果"), default=dict, blank=True)
    coordinates = models.JSONField(_("散布図の座標"), default=dict, blank=True)
    error = models.CharField(_("失敗の理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("意見のテーマ分析")
        verbose_name_plural = _("意見のテーマ分析")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.consultation_id}:{self.pk}:{self.status}"

    def theme(self, theme_id: int) -> dict | None:
        return next((t for t in self.result.get("themes", []) if t["id"] == theme_id), None)
