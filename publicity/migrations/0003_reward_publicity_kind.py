"""Rewards (后补助) get their own kind of publicity batch, 拟奖励（后补助）名单公示.

Batches made before that list rewards under the approval kind: a batch whose every item
follows a reward lifecycle becomes a reward batch (its title, period and items, what the
public saw, stay as they were); a batch that mixes projects and rewards stays an approval
batch."""

from django.db import migrations, models


def reward_batches_by_their_items(apps, schema_editor):
    from workflows.lifecycle import lifecycles

    rewards = {key for key, lifecycle in lifecycles().items() if lifecycle.kind == "reward"}
    PublicityBatch = apps.get_model("publicity", "PublicityBatch")
    for batch in PublicityBatch.objects.filter(kind="approval"):
        kinds = set(batch.applications.values_list("lifecycle", flat=True))
        if kinds and kinds <= rewards:
            PublicityBatch.objects.filter(pk=batch.pk).update(kind="reward")


def approval_batches_again(apps, schema_editor):
    apps.get_model("publicity", "PublicityBatch").objects.filter(kind="reward").update(
        kind="approval")


class Migration(migrations.Migration):

    dependencies = [
        ("publicity", "0002_objection_receipt"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publicitybatch",
            name="kind",
            field=models.CharField(choices=[("approval", "拟资助（立项）名单公示"),
                                            ("reward", "拟奖励（后补助）名单公示"),
                                            ("acceptance", "验收通过名单公示")],
                                   max_length=20, verbose_name="类型"),
        ),
        migrations.RunPython(reward_batches_by_their_items, approval_batches_again),
    ]
