"""The review chain's Process models move here from the retired ``flows`` app.

The year-end flows moved to ``appraisals.flows`` at the same time. A database made before the
move has the tables ``flows_reviewroundprocess`` and
``flows_objectionprocess``: they are renamed, and viewflow's stored references to the flow
classes (``flows/flows.ReviewRoundFlow...``) are rewritten to ``reviews/flows...``. A new
database gets the tables created here.
"""
import django.db.models.deletion
from django.db import migrations, models

MOVES = (("ReviewRoundProcess", "flows_reviewroundprocess"), ("ObjectionProcess", "flows_objectionprocess"))
REFS = (("flows/flows.", "reviews/flows."), ("flows/year_end.", "appraisals/flows."))


def adopt_or_create(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name, old_table in MOVES:
        model = apps.get_model("reviews", name)
        if old_table in existing:
            schema_editor.alter_db_table(model, old_table, model._meta.db_table)
        else:
            schema_editor.create_model(model)
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, _ in MOVES:
        ContentType.objects.filter(app_label="flows", model=name.lower()).update(app_label="reviews")
    if "django_migrations" in existing:
        schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["flows"])


def drop(apps, schema_editor):
    for name, _ in MOVES:
        schema_editor.delete_model(apps.get_model("reviews", name))


def rewrite_refs(apps, schema_editor):
    # Plain SQL: the reference fields resolve their text to classes on read, and the old
    # classes no longer exist. Only rows stored in the old form are touched.
    quote = schema_editor.quote_name
    columns = ((apps.get_model("viewflow", "Process")._meta.db_table, "flow_class"),
               (apps.get_model("viewflow", "Task")._meta.db_table, "flow_task"))
    with schema_editor.connection.cursor() as cursor:
        for table, column in columns:
            for old, new in REFS:
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s || SUBSTR({quote(column)}, %s) "
                    f"WHERE {quote(column)} LIKE %s",
                    [new, len(old) + 1, old + "%"],
                )


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0002_declaration_scheme_version"),
        ("viewflow", "0015_task_scheduled"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ObjectionProcess",
                    fields=[
                        ("process_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to="viewflow.process")),
                        ("objection", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="process", to="reviews.objection", verbose_name="异议")),
                    ],
                    options={"verbose_name": "异议处理流程", "verbose_name_plural": "异议处理流程"},
                    bases=("viewflow.process",),
                ),
                migrations.CreateModel(
                    name="ReviewRoundProcess",
                    fields=[
                        ("process_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to="viewflow.process")),
                        ("review_round", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="process", to="reviews.reviewround", verbose_name="审核批次")),
                    ],
                    options={"verbose_name": "积分审核流程", "verbose_name_plural": "积分审核流程"},
                    bases=("viewflow.process",),
                ),
            ],
        ),
        migrations.RunPython(adopt_or_create, drop),
        migrations.RunPython(rewrite_refs, migrations.RunPython.noop),
    ]
