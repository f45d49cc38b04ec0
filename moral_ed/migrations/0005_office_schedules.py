"""Beat schedules of the moral-education office (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [
    # Monday 01:00: last week (Monday–Sunday) is complete; the class ranking
    # is computed and published before the school day (班级量化考核公示).
    {
        "name": "moral_ed.weekly_evaluations Monday 01:00",
        "task": "moral_ed.weekly_evaluations",
        "cron": {"minute": "0", "hour": "1", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 6 * 3600,
        "description": "每周一 01:00 汇总上周班级量化考核并公示 / Sum and publish last week's class ranking.",
    },
    # School days at 18:00: the day's inspection entries are complete; each
    # head teacher hears their class's entries (seed 001: 每天通报).
    {
        "name": "moral_ed.inspection_daily_reports school days 18:00",
        "task": "moral_ed.inspection_daily_reports",
        "cron": {"minute": "0", "hour": "18", "day_of_week": "1-5", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 4 * 3600,
        "description": "每个上课日 18:00 向班主任通报当天的班级量化考核 / Daily inspection report to head teachers.",
    },
    # The 1st of each month, 02:00: the previous month is evaluated (一月一评比)
    # as a preview for the office, which publishes it.
    {
        "name": "moral_ed.monthly_evaluations 1st 02:00",
        "task": "moral_ed.monthly_evaluations",
        "cron": {"minute": "0", "hour": "2", "day_of_week": "*", "day_of_month": "1", "month_of_year": "*"},
        "expires_seconds": 12 * 3600,
        "description": "每月 1 日 02:00 评比上月(预览,待政教处发布)/ Evaluate the previous month.",
    },
    # Every day 23:00, after lights-out checks: the escalation ladder opens
    # cases at crossed thresholds and steps clean students back down.
    {
        "name": "moral_ed.dorm_ladder daily 23:00",
        "task": "moral_ed.dorm_ladder",
        "cron": {"minute": "0", "hour": "23", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 6 * 3600,
        "description": "每天 23:00 按累计扣分检查宿舍处理阶梯 / Dorm escalation ladder.",
    },
    # 1 and 15 June, 08:00: before the school year closes, head teachers are
    # reminded of students without a social practice or community service record.
    {
        "name": "moral_ed.practice_reminders 1 and 15 June 08:00",
        "task": "moral_ed.practice_reminders",
        "cron": {"minute": "0", "hour": "8", "day_of_week": "*", "day_of_month": "1,15", "month_of_year": "6"},
        "expires_seconds": 12 * 3600,
        "description": "6 月 1 日、15 日提醒班主任补录社会实践和社区服务 / Remind head teachers of missing practice records.",
    },
]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("moral_ed", "0004_office"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
