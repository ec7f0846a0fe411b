"""Filters of the review inbox."""

import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from config.dateinput import DateInput
from subsidy.identifiers import normalise_uscc
from subsidy.models import Application, Category, Region
from workflows.stages import State

#: What a choice filter offers first: no restriction.
ALL = _("全部")


def search_terms(text: str) -> str:
    """What was typed, with full-width letters and digits made half-width (a credit code
    pasted from a Chinese document) and the spaces around it removed."""
    return unicodedata.normalize("NFKC", text or "").strip()


class InboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", widget=forms.SearchInput(
        attrs={"placeholder": _("申报编号、单位名称或信用代码")}))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=State.choices,
                                        empty_label=ALL)
    category = django_filters.ModelChoiceFilter(label=_("资助类别"), empty_label=ALL,
                                                queryset=Category.objects.order_by("code"))
    region = django_filters.ModelChoiceFilter(label=_("县市区"), empty_label=ALL,
                                              queryset=Region.objects.order_by("code"))
    submitted_after = django_filters.DateFilter(
        label=_("创建日期起"), field_name="created_at", lookup_expr="date__gte", widget=DateInput)
    submitted_before = django_filters.DateFilter(
        label=_("创建日期止"), field_name="created_at", lookup_expr="date__lte", widget=DateInput)

    class Meta:
        model = Application
        fields = ["q", "state", "category", "region", "submitted_after", "submitted_before"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # a county reviewer sees only their own county: there is nothing to choose
        if getattr(user, "role", None) == Role.COUNTY:
            del self.filters["region"]

    def search(self, queryset, name, value):
        """Applications whose number or organisation's name contains `value`, or whose
        organisation's credit code contains it (any case, spaces ignored)."""
        terms = search_terms(value)
        if not terms:
            return queryset
        return queryset.filter(Q(number__icontains=terms)
                               | Q(organisation__name__icontains=terms)
                               | Q(organisation__uscc__contains=normalise_uscc(terms)))
