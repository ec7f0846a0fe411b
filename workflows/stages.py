"""The stages (states) every lifecycle draws from, and the transitions between them.

This is the superset: a lifecycle definition (``workflows/lifecycles/*.toml``) picks the
states and transitions a category passes through. Labels are what people read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Every stage an application can be in, in the order of the full (project) lifecycle."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待受理")
    COUNTY_REVIEW = "county_review", _("县级初审")
    CITY_REVIEW = "city_review", _("市级审核")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    APPROVED = "approved", _("审核通过，待公示")
    APPROVAL_PUBLICITY = "approval_publicity", _("立项公示")
    IMPLEMENTATION = "implementation", _("已立项，实施中")
    ACCEPTANCE_SUBMITTED = "acceptance_submitted", _("已申请验收")
    ACCEPTANCE_REVIEW = "acceptance_review", _("验收审核")
    ACCEPTANCE_PASSED = "acceptance_passed", _("验收通过，待公示")
    ACCEPTANCE_PUBLICITY = "acceptance_publicity", _("验收公示")
    AWAITING_DISBURSEMENT = "awaiting_disbursement", _("待下拨资金")
    DISBURSEMENT_NOTIFIED = "disbursement_notified", _("已下达拨款通知")
    PAID = "paid", _("已拨付")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("未获支持")
    WITHDRAWN = "withdrawn", _("已撤回")
    ACCEPTANCE_FAILED = "acceptance_failed", _("验收不通过")


STATE_ORDER = {value: index for index, value in enumerate(State.values)}

#: A lifecycle target that means "the stage the application was returned from".
PREVIOUS_STAGE = "@previous"

#: Labels of every transition name a lifecycle may use.
TRANSITION_LABELS = {
    "submit": _("提交申报"),
    "accept": _("受理"),
    "recommend": _("初审通过并推荐"),
    "return_for_revision": _("退回修改"),
    "resubmit": _("修改后重新提交"),
    "reject": _("不予支持"),
    "withdraw": _("撤回申报"),
    "send_to_experts": _("提交专家评审"),
    "approve": _("审核通过"),
    "publish": _("发布公示"),
    "close_publicity": _("公示期满通过"),
    "uphold_objection": _("异议成立，撤出名单"),
    "reopen_review": _("异议成立，退回重审"),
    "submit_acceptance": _("申请验收"),
    "open_acceptance_review": _("受理验收"),
    "pass_acceptance": _("验收通过"),
    "fail_acceptance": _("验收不通过"),
    "notify_disbursement": _("下达拨款通知"),
    "confirm_payment": _("确认拨付"),
}

TRANSITION_NAMES = tuple(TRANSITION_LABELS)


#: Labels a kind of lifecycle gives a state in its own words: a reward (后补助) is published
#: as a reward, not as a project to be set up (立项).
KIND_LABELS = {"reward": {State.APPROVAL_PUBLICITY: _("拟奖励公示")}}


def state_label(value: str, kind: str | None = None) -> str:
    """The readable label of a state value, as a lifecycle of `kind` names it."""
    label = KIND_LABELS.get(kind, {}).get(value)
    return str(label if label is not None else State(value).label)


def transition_label(name: str) -> str:
    """The readable label of a transition name."""
    return str(TRANSITION_LABELS[name])
