"""Filters of the review inbox."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from subsidy.models import Application, Category
from workflows.stages import State


class InboxFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=State.choices)
    category = django_filters.ModelChoiceFilter(label=_("资助类别"),
                                                queryset=Category.objects.order_by("code"))
    organisation = django_filters.CharFilter(label=_("申报单位"),
                                             field_name="organisation__name",
                                             lookup_expr="icontains")
    submitted_after = django_filters.DateFilter(
        label=_("创建日期起"), field_name="created_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}))
    submitted_before = django_filters.DateFilter(
        label=_("创建日期止"), field_name="created_at", lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Application
        fields = ["state", "category", "organisation", "submitted_after", "submitted_before"]
