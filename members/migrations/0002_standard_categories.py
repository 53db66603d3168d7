from django.db import migrations


def forwards(apps, schema_editor):
    from members.categories import ensure_standard_categories

    ensure_standard_categories(apps.get_model("members", "MemberCategory"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
