"""When each application entered its current state, and when it was last approved and
notified for disbursement, kept on the row (set by the transition service) so the dashboard
reads columns instead of searching the audit log. Existing rows are filled from the log.
The repeated-application flag's index gains the state, so its look-ups read no rows."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(Application, AuditEntry) -> int:
    """Fill the three columns from the audit log, as the service would have set them:
    state_changed_at from the latest entry (by seq; the creation time when there is none),
    approved_at and notified_at from the latest `approve` and `notify_disbursement` entries
    (empty when there is none). One UPDATE; returns the number of rows."""

    def latest(**where):
        return Subquery(AuditEntry.objects.filter(subject_id=OuterRef("pk"), **where)
                        .order_by("-seq").values("at")[:1])

    return Application.objects.update(
        state_changed_at=Coalesce(latest(), F("created_at")),
        approved_at=latest(transition="approve"),
        notified_at=latest(transition="notify_disbursement"))


def forwards(apps, schema_editor):
    backfill(apps.get_model("subsidy", "Application"), apps.get_model("workflows", "AuditEntry"))


class Migration(migrations.Migration):

    dependencies = [
        ("subsidy", "0008_application_flag_index"),
        ("workflows", "0003_audit_no_delete_on_postgres"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="approved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="核定时间"),
        ),
        migrations.AddField(
            model_name="application",
            name="notified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="拨付通知时间"),
        ),
        migrations.AddField(
            model_name="application",
            name="state_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False,
                                       verbose_name="进入当前状态时间"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["programme", "state", "state_changed_at"],
                               name="app_prog_state_changed"),
        ),
        migrations.RemoveIndex(model_name="application", name="app_prog_cat_org"),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["programme", "category", "organisation", "state"],
                               name="app_prog_cat_org_state"),
        ),
    ]
