"""What an applicant changed after a return for revision: recorded by the services that
change a returned application (form values, new attachment versions), compared for the
reviewer in the application page and the timeline."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from workflows.stages import State

from .models import Application, Attachment, Revision


def contents(application: Application) -> dict:
    """The application's form values as a revision records them (JSON-ready)."""
    return {"title": application.title, "requested_amount": str(application.requested_amount),
            "form_data": dict(application.form_data)}


def open_round(application: Application) -> Revision | None:
    """The revision round of a returned application, created (with the application as it
    is now, i.e. as returned) before the round's first change; None if it is not returned.
    Call inside the transaction of the change, before making it."""
    if application.state != State.RETURNED:
        return None
    now = contents(application)
    revision, _created = Revision.objects.get_or_create(
        application=application, returned_seq=application.audit_seq,
        defaults={"before": now, "after": now})
    return revision


def record_form_change(revision: Revision | None, application: Application) -> None:
    """Keep the round's `after` equal to the application's values just saved."""
    if revision is not None:
        revision.after = contents(application)
        revision.save(update_fields=["after"])


def record_new_attachment(revision: Revision | None, attachment: Attachment) -> None:
    if revision is not None:
        revision.new_attachments.add(attachment)


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


@dataclass
class Round:
    """A return, what followed it (resubmission or withdrawal, None while still returned)
    and what changed meanwhile: fields as (label, old, new), attachments as (material,
    new version, the version it replaces or None)."""

    returned: object
    closed_by: object = None
    fields: list = field(default_factory=list)
    attachments: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.attachments)


def field_changes(category, before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(label, old, new) of each field that differs, in the form's order, with the labels
    of the category's form definition."""
    rows = [(_("项目名称"), before.get("title"), after.get("title")),
            (_("申请金额（元）"), before.get("requested_amount"), after.get("requested_amount"))]
    old, new = before.get("form_data", {}), after.get("form_data", {})
    rows += [(item["label"], old.get(item["name"]), new.get(item["name"]))
             for item in category.form_fields]
    return [(label, _shown(a), _shown(b)) for label, a, b in rows if _shown(a) != _shown(b)]


def revision_rounds(application: Application, history: list) -> list[Round]:
    """Every return of the application (history: its audit entries in order) with what
    changed until the step that ended the round. Three queries."""
    revisions = {r.returned_seq: r for r in application.revisions.prefetch_related(
        "new_attachments")}
    kinds = {k["kind"]: k["label"] for k in application.category.required_attachments
             + application.category.acceptance_attachments}
    versions = {(a.kind, a.version): a for a in application.attachments.all()}
    rounds = []
    for index, entry in enumerate(history):
        if entry.target != State.RETURNED:
            continue
        following = history[index + 1] if index + 1 < len(history) else None
        found = Round(returned=entry, closed_by=following)
        revision = revisions.get(entry.seq)
        if revision is not None:
            found.fields = field_changes(application.category, revision.before, revision.after)
            found.attachments = [
                (kinds.get(a.kind, a.kind), a, versions.get((a.kind, a.version - 1)))
                for a in sorted(revision.new_attachments.all(),
                                key=lambda a: (a.kind, a.version))]
        rounds.append(found)
    return rounds
