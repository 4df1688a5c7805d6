import factory

from plans.models import Indicator, Plan, Policy, PolicyTheme, UnitPolicy, Vision


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"テスト総合計画{n}")
    municipality = "テスト市"
    period_label = "令和3年度～令和7年度"
    is_sample = True


class VisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vision

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"V{n}")
    title = factory.Sequence(lambda n: f"めざす姿{n}")
    order = factory.Sequence(int)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    vision = factory.SubFactory(VisionFactory)
    code = factory.Sequence(lambda n: f"T-{n}")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"施策{n}")
    basic_policy = "市民とともにまちづくりを進めます。"


class PolicyThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyTheme

    policy = factory.SubFactory(PolicyFactory)
    number = factory.Sequence(lambda n: n + 1)
    keywords = factory.LazyFunction(lambda: ["地域コミュニティ"])
    backgrounds = factory.LazyFunction(lambda: ["加入率が低下しています。"])


class UnitPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitPolicy

    policy = factory.SubFactory(PolicyFactory)
    title = factory.Sequence(lambda n: f"単位施策{n}")
    initiatives = factory.LazyFunction(lambda: ["取り組みを進めます。"])
    order = factory.Sequence(int)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    policy = factory.SubFactory(PolicyFactory)
    name = factory.Sequence(lambda n: f"指標{n}")
    unit = "%"
    baseline_value = factory.Faker("pydecimal", left_digits=2, right_digits=1, positive=True)
    baseline_year_label = "R2"
    baseline_fiscal_year = 2020
    target_text = "現状値を上回る"
    target_fiscal_year = 2025
    order = factory.Sequence(int)
