# The (evaluation, member) unique constraint's index serves lookups by evaluation.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appraisals', '0004_evaluation_awaiting_answers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='memberresult',
            name='evaluation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='results', to='appraisals.evaluation', verbose_name='年终评定'),
        ),
    ]
