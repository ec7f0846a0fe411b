"""The sign-off pages on the desk: viewflow's flow application, with lists and filters that
name the notice and read every status in Chinese (viewflow's own show "#1/2" and "New")."""

from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from viewflow.utils import viewprop
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import filters
from viewflow.workflow.flow.views import list as lists
from viewflow.workflow.flow.views.dashboard import (
    DashboardProcessListView,
    DashboardTaskListView,
)

from .flows import NoticeSignoffFlow
from .signoff import PROCESS_STATUS_LABELS, STEP_STATUS_LABELS, decision_label


def human_steps(flow_class):
    """(reference, title) of the flow's steps people take, for the step filter."""
    return [(get_task_ref(node), node.task_title) for node in flow_class.instance.nodes()
            if getattr(node, "task_type", None) == "HUMAN"]


class NoticeColumns:
    """List columns for sign-off steps: the notice (a link to the step), the step, …"""

    object_link_columns = ()

    def notice(self, task):
        notice = task.process.artifact
        return format_html('<a href="{}">{}</a>',
                           task.flow_task.reverse("index", args=[task.process_id, task.pk]),
                           notice.title if notice else "")

    notice.short_description = _("公文")

    def step(self, task):
        return task.flow_task.task_title

    step.short_description = _("环节")

    def step_status(self, task):
        return STEP_STATUS_LABELS.get(task.status, task.status)

    step_status.short_description = _("状态")

    def decision(self, task):
        return decision_label(task) or "—"

    decision.short_description = _("结果")

    def person(self, task):
        return (task.owner.get_full_name() or task.owner.username) if task.owner else "—"

    person.short_description = _("办理人")

    def since(self, task):
        return localtime(task.created).strftime("%Y-%m-%d %H:%M")

    since.short_description = _("创建")

    def done_at(self, task):
        return localtime(task.finished).strftime("%Y-%m-%d %H:%M") if task.finished else "—"

    done_at.short_description = _("完成")


FILTER_LABELS = {"process": _("公文"), "flow_task": _("环节"), "status": _("状态"),
                 "created": _("创建"), "finished": _("完成")}


class LabelledFilterMixin:
    """Filters labelled in Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FILTER_LABELS.items():
            if name in self.filters:
                self.filters[name].field.label = label


class StepFilterMixin(LabelledFilterMixin):
    """The filters list the steps by their titles and the sign-offs by their notices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flow_task"].field.choices = human_steps(NoticeSignoffFlow)
        if "status" in self.filters:
            self.filters["status"].field.choices = list(STEP_STATUS_LABELS.items())
        if "process" in self.filters:  # a sign-off is known by its notice, not "#1"
            self.filters["process"].field.label_from_instance = lambda process: (
                process.artifact.title if process.artifact else process.pk)


class QueueFilter(StepFilterMixin, filters.FlowUserTaskListFilter):
    pass


class ArchiveFilter(StepFilterMixin, filters.FlowArchiveListFilter):
    pass


class TaskFilter(StepFilterMixin, filters.DashboardTaskListViewFilter):
    pass


class ProcessFilter(LabelledFilterMixin, filters.DashboardProcessListViewFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["status"].field.choices = list(PROCESS_STATUS_LABELS.items())


class InboxView(NoticeColumns, lists.FlowInboxListView):
    title = _("我的待办")
    columns = ("notice", "step", "step_status", "since")
    filterset_class = QueueFilter


class QueueView(NoticeColumns, lists.FlowQueueListView):
    """Steps the user may take: never a notice they drafted (four eyes)."""

    title = _("可认领")
    columns = ("notice", "step", "since")
    filterset_class = QueueFilter

    @viewprop
    def queryset(self):
        tasks = super().queryset
        return tasks.exclude(pk__in=[task.pk for task in tasks
                                     if task.flow_task.refusal(self.request.user, task)])


class ArchiveView(NoticeColumns, lists.FlowArchiveListView):
    title = _("已办")
    columns = ("notice", "step", "decision", "done_at")
    filterset_class = ArchiveFilter


class TaskListView(NoticeColumns, DashboardTaskListView):
    """The steps people take (not the gateways between them)."""

    title = _("全部环节")
    columns = ("notice", "step", "step_status", "person", "since")
    filterset_class = TaskFilter

    def get_queryset(self):
        return super().get_queryset().filter(flow_task_type="HUMAN").order_by("-created")


class ProcessListView(DashboardProcessListView):
    title = _("全部签发流程")
    columns = ("notice", "process_state", "since", "done_at", "active_tasks")
    object_link_columns = ()
    filterset_class = ProcessFilter

    def notice(self, process):
        notice = process.artifact
        return format_html('<a href="{}">{}</a>',
                           self.request.resolver_match.flow_viewset.reverse(
                               "process_detail", args=[process.pk]),
                           notice.title if notice else "")

    notice.short_description = _("公文")

    def process_state(self, process):
        return PROCESS_STATUS_LABELS.get(process.status, process.status)

    process_state.short_description = _("状态")

    since, done_at = NoticeColumns.since, NoticeColumns.done_at

    def get_queryset(self):
        return super().get_queryset().order_by("-created", "-pk")

    def active_tasks(self, process):
        return process.active_tasks_count

    active_tasks.short_description = _("待办环节数")


class SignoffApp(FlowAppViewset):
    """viewflow's pages for the notice sign-off, with these lists. (Their forms post
    plainly, data-turbo="false": a refused decision or a confirmation is the same page
    again, which Turbo drops.)"""

    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    task_list_view_class = TaskListView
    process_list_view_class = ProcessListView
