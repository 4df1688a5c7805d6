"""The plan file format, and a validator that cites file lines.

A plan file (YAML or JSON) has three top-level keys::

    plan:                      # 総合計画
      name: 第5次川口市総合計画 後期基本計画     (required)
      municipality: 川口市                       (required)
      period_label: 令和3年度～令和7年度
      is_sample: false         # true when any part is not the real plan
    visions:                   # めざす姿
      - code: VI               (required, unique)
        title: …               (required)
        is_sample: false
    policies:                  # 施策; list order is display order
      - code: VI-1             (required, unique across all plans)
        vision: VI             (required, a visions[].code)
        number: 1              (required, positive integer)
        title: …               (required)
        basic_policy: …        # 基本方針
        related_plans: [ … ]   # 関連する個別計画
        themes:                # numbered キーワード rows
          - number: 1          (required, unique within the 施策)
            keywords: [ … ]    (required, not empty)
            backgrounds: [ … ] # 主な背景事象
        indicators:            # 目標指標
          - name: …            (required, unique within the 施策)
            unit: "%"          (required)
            baseline_value: 33.9           # number or null
            baseline_year_label: R2        # as published, e.g. H27～R1の平均値
            baseline_fiscal_year: 2020     # optional; else read from the label
            target_value: 60.0             # number, or
            target_text: 現状値を上回る     # words (at least one of the two)
            target_year_label: R7          # or target_fiscal_year: 2025
            measurement: survey            # survey (市民意識調査) | statistic | committees (応募倍率, computed)
            measurement_note: …
            decimal_places: 1              # optional; else as written
        unit_policies:         # 単位施策
          - title: …           (required, unique within the 施策)
            initiatives: [ … ] # 主な取り組み
        reference_tables:      # tables printed with the 施策
          - title: …  note: …  columns: [ … ]  rows: [[ … ], …]

Unknown keys are errors, so a misspelt key is not silently dropped.

The package reads that shape in parts: ``document`` (validate_plan: the plan,
its visions, policies and reference tables), ``indicators`` (目標指標 rows),
``validator`` (typed field readers whose errors cite the file line) and
``fiscal_years`` (和暦 labels such as R7 → 2025).
"""
