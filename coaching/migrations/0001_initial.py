"""Improvement plans, taken over from meetings with their tables: state only.

The tables keep their names (`db_table`), so no row moves either way. The content types
are relabelled too, so permissions granted on plans and admin history follow them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ["improvementplan", "plangoal"]


def relabel_content_types(from_label: str, to_label: str):
    def relabel(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        if content_type.objects.filter(app_label=to_label, model__in=MOVED_MODELS).exists():
            return  # already created under the new label: leave both alone
        content_type.objects.filter(app_label=from_label, model__in=MOVED_MODELS).update(
            app_label=to_label
        )

    return relabel



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('activities', '0003_day_tally_rep_without_own_index'),
        ('meetings', '0005_plans_move_to_coaching'),
        ('targets', '0003_reviewstate_flag_kudos_monthresult'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImprovementPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status')),
                        ('opened_at', models.DateTimeField()),
                        ('review_until', models.DateField(help_text='The plan is reviewed at least until this date; managers extend it.', verbose_name='review until')),
                        ('recovery_months', models.PositiveSmallIntegerField(default=1)),
                        ('check_in_days', models.PositiveSmallIntegerField(default=7)),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                        ('booking_failed_at', models.DateTimeField(blank=True, null=True)),
                        ('invitation_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('close_reason', models.CharField(blank=True, max_length=200)),
                        ('flag', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='improvement_plan', to='targets.flag')),
                        ('meeting', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='improvement_plan', to='meetings.meeting')),
                        ('rep', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='improvement_plans', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'improvement plan',
                        'verbose_name_plural': 'improvement plans',
                        'db_table': 'meetings_improvementplan',
                        'ordering': ['-opened_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PlanGoal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(max_length=5)),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
                        ('metric', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='activities.metric')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='coaching.improvementplan')),
                    ],
                    options={
                        'db_table': 'meetings_plangoal',
                        'ordering': ['metric__sort_order'],
                    },
                ),
                migrations.AddIndex(
                    model_name='improvementplan',
                    index=models.Index(fields=['rep', 'status'], name='meetings_im_rep_id_d49dcb_idx'),
                ),
                migrations.AddConstraint(
                    model_name='plangoal',
                    constraint=models.UniqueConstraint(fields=('plan', 'metric'), name='one_goal_per_metric'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            relabel_content_types("meetings", "coaching"),
            relabel_content_types("coaching", "meetings"),
        ),
    ]
