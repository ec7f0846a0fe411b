"""What happens next, in words an applicant understands, for each state."""

from django.utils.translation import gettext_lazy as _

from workflows.stages import State

NEXT_STEP = {
    State.DRAFT: _("填写完整申报表并上传必备附件后，点击“提交申报”。"),
    State.SUBMITTED: _("等待所在县市区知识产权部门受理。"),
    State.COUNTY_REVIEW: _("县市区正在初审，通过后将推荐至市局。"),
    State.CITY_REVIEW: _("市局科室正在审核。"),
    State.EXPERT_REVIEW: _("专家正在评审打分，之后由市局审核。"),
    State.APPROVED: _("市局审核通过，等待发布公示。"),
    State.ACCEPTANCE_PASSED: _("验收通过，等待编入验收批次并公示。"),
    State.APPROVAL_PUBLICITY: _("已列入拟资助名单，正在公示；公示期满无异议即通过。"),
    State.IMPLEMENTATION: _("项目已立项。实施完成后上传验收材料并“申请验收”。"),
    State.ACCEPTANCE_SUBMITTED: _("验收申请已提交，等待市局受理验收。"),
    State.ACCEPTANCE_REVIEW: _("市局正在组织验收。"),
    State.ACCEPTANCE_PUBLICITY: _("验收通过名单正在公示。"),
    State.AWAITING_DISBURSEMENT: _("等待市局会同财政局下达资金拨付通知。"),
    State.DISBURSEMENT_NOTIFIED: _("拨款通知已下达，等待财政拨付。"),
    State.PAID: _("资金已拨付，流程结束。"),
    State.RETURNED: _("申报被退回，请按审核意见修改后重新提交。"),
    State.REJECTED: _("申报未获支持，流程结束。"),
    State.WITHDRAWN: _("申报已撤回，流程结束。"),
    State.ACCEPTANCE_FAILED: _("验收未通过，流程结束。"),
}
