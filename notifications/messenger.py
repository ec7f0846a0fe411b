"""One messenger: a committed transition becomes in-app notifications and e-mails.

The receiver only queues a Celery task (run eagerly without a broker); the task decides who
is told — the applicant organisation's users always, and the people who must act next.
"""

from django.core.mail import EmailMessage, get_connection
from django.db.models import Q

from accounts.models import Role, User, people
from workflows.models import AuditEntry
from workflows.stages import State

from .messages import render_message
from .models import Notification

#: Who must act when an application arrives in a state (besides the applicant).
NEXT_ACTORS = {
    State.SUBMITTED: "county",
    State.COUNTY_REVIEW: "county",
    State.CITY_REVIEW: "city",
    State.EXPERT_REVIEW: "city",
    State.ACCEPTANCE_SUBMITTED: "city",
    State.APPROVED: "city",
    State.ACCEPTANCE_PASSED: "city",
    State.AWAITING_DISBURSEMENT: "city",
    State.DISBURSEMENT_NOTIFIED: "finance",
}


def queue_transition_notifications(sender, entries, **kwargs):
    """Receiver of `transitions_committed`: hand the entries to the delivery task."""
    from .tasks import deliver_transition_notifications

    deliver_transition_notifications.delay([[e.subject_id, e.seq] for e in entries])


def recipients_for(application, target: str) -> list[User]:
    """The applicant organisation's users, plus whoever must act in `target`."""
    who = Q(organisation_id=application.organisation_id, role=Role.APPLICANT)
    next_actor = NEXT_ACTORS.get(target)
    if next_actor == "county":
        who |= Q(role=Role.COUNTY, region_id=application.region_id)
    elif next_actor == "city":
        who |= Q(role=Role.CITY)
    elif next_actor == "finance":
        who |= Q(role=Role.FINANCE)
    return list(people(who))


def compose(entry: AuditEntry, language: str | None = None) -> tuple[str, str]:
    """Subject and body of the message for one audit entry (templates
    notifications/transition_*.txt)."""
    return render_message("transition", {
        "entry": entry, "application": entry.subject,
        "approved_amount": entry.data.get("approved_amount")}, language)


def deliver(entry_keys: list[list[int]]) -> int:
    """Create notifications and send e-mails for the audit entries given as (subject id, seq)
    pairs; returns how many notifications were created."""
    wanted = {tuple(key) for key in entry_keys}
    entries = [e for e in AuditEntry.objects
               .filter(subject_id__in={s for s, _seq in wanted}, seq__in={q for _s, q in wanted})
               .select_related("subject__organisation").order_by("subject_id", "seq")
               if (e.subject_id, e.seq) in wanted]
    rows, mails, known = [], [], {}
    for entry in entries:
        subject, body = compose(entry)
        app = entry.subject
        key = (app.organisation_id, app.region_id, NEXT_ACTORS.get(entry.target))
        if key not in known:
            known[key] = recipients_for(app, entry.target)
        for user in known[key]:
            rows.append(Notification(user=user, application=entry.subject, audit_entry=entry,
                                     subject=subject, body=body))
            if user.email:
                mails.append(EmailMessage(subject, body, to=[user.email]))
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if mails:
        get_connection().send_messages(mails)
    return len(rows)


def notify(users, template: str, context: dict, application=None) -> int:
    """Tell each of `users` in the app and by e-mail, with the message rendered from the
    templates `template` names (see notifications.messages); the e-mails go to the mail
    task, retried while the server is unreachable. Call it after the commit that made the
    news. Returns how many people were told."""
    from .tasks import send_emails

    users = list(users)
    subject, body = render_message(template, context)
    Notification.objects.bulk_create([Notification(user=user, application=application,
                                                   subject=subject, body=body)
                                      for user in users])
    addresses = [user.email for user in users if user.email]
    if addresses:
        send_emails.delay(subject, body, addresses)
    return len(users)
