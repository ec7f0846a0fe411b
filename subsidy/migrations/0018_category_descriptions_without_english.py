"""The categories' descriptions named each category in English too, "知识产权保险试点培育（IP
insurance pilot）。…", which the Chinese application form showed; the English name is the
category's name_en."""

from django.db import migrations


def drop_english_names(apps, schema_editor):
    Category = apps.get_model("subsidy", "Category")
    for category in Category.objects.exclude(name_en=""):
        english = f"（{category.name_en}）"
        if english in category.description:
            category.description = category.description.replace(english, "", 1)
            category.save(update_fields=["description"])


class Migration(migrations.Migration):

    dependencies = [
        ("subsidy", "0017_field_names_in_chinese_region_kinds"),
    ]

    operations = [
        migrations.RunPython(drop_english_names, migrations.RunPython.noop),
    ]
