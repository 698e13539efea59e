"""Improvement plans moved to the coaching app: the state only, no table or row moves.

`coaching.0001_initial` takes the models over with the same tables
(`meetings_improvementplan`, `meetings_plangoal`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_plan_invitation_sent_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="plangoal", name="plan"),
                migrations.RemoveField(model_name="plangoal", name="metric"),
                migrations.DeleteModel(name="ImprovementPlan"),
                migrations.DeleteModel(name="PlanGoal"),
            ],
            database_operations=[],
        ),
    ]
