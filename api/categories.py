"""Categories with their lifecycles and form definitions."""

from django.shortcuts import get_object_or_404
from ninja import Router

from subsidy.models import Category
from workflows.lifecycle import get_lifecycle

from .schemas import CategoryFormOut, CategoryOut

router = Router(tags=["categories"])


def category_out(category: Category) -> dict:
    lifecycle = get_lifecycle(category.lifecycle)
    return {
        "code": category.code, "name": category.name, "name_en": category.name_en,
        "kind": lifecycle.kind, "lifecycle": category.lifecycle,
        "applicant_types": category.applicant_types, "funding_rule": category.funding_rule,
        "cap": category.cap, "states": list(lifecycle.states),
        "transitions": [{"name": s.name, "label": s.label, "source": s.source,
                         "target": s.target} for s in lifecycle.transitions],
    }


@router.get("", response=list[CategoryOut], summary="The 23 categories with their lifecycles")
def list_categories(request):
    return [category_out(c) for c in Category.objects.order_by("code")]


@router.get("/{code}", response=CategoryOut, summary="One category with its lifecycle")
def get_category(request, code: str):
    return category_out(get_object_or_404(Category, code=code))


@router.get("/{code}/form", response=CategoryFormOut, summary="The category's application form")
def category_form(request, code: str):
    category = get_object_or_404(Category, code=code)
    return {
        "code": category.code, "name": category.name,
        "fields": [{"required": True, "type": "text", **f} for f in category.form_fields],
        "required_attachments": category.required_attachments,
        "acceptance_attachments": category.acceptance_attachments,
    }
