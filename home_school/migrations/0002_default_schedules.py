"""Beat schedules of home_school (Asia/Shanghai), editable in the admin.
The reasons for each time are in home_school/tasks.py next to the task;
the values are copied here so the migration does not change with the code."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [{'name': 'home_school.notices_send_due every minute',
  'task': 'home_school.notices_send_due',
  'cron': {'minute': '*', 'hour': '*', 'day_of_week': '*', 'day_of_month': '*', 'month_of_year': '*'},
  'expires_seconds': 50,
  'description': '每分钟发送到点的定时通知 / Send scheduled notices that are due.'},
 {'name': 'home_school.notice_reminders_due hourly 07:15-21:15',
  'task': 'home_school.notice_reminders_due',
  'cron': {'minute': '15', 'hour': '7-21', 'day_of_week': '*', 'day_of_month': '*', 'month_of_year': '*'},
  'expires_seconds': 3000,
  'description': '白天每小时提醒未回执的家长（每份通知一次）/ Remind guardians who have not answered a notice, once.'},
 {'name': 'home_school.meeting_reminders daily 18:00',
  'task': 'home_school.meeting_reminders',
  'cron': {'minute': '0', 'hour': '18', 'day_of_week': '*', 'day_of_month': '*', 'month_of_year': '*'},
  'expires_seconds': 18000,
  'description': "每天 18:00 提醒明天家长会的家长（已请假的除外）/ Remind guardians of tomorrow's parent meetings."},
 {'name': 'home_school.participation_collect daily 02:30',
  'task': 'home_school.participation_collect',
  'cron': {'minute': '30', 'hour': '2', 'day_of_week': '*', 'day_of_month': '*', 'month_of_year': '*'},
  'expires_seconds': 10800,
  'description': "每天 02:30 汇总家长参与积分（上月初至今）/ Collect guardians' participation points."}]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("home_school", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
