"""Beat schedules of the notifications (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [
    # Every minute: urgent messages go out at once and quiet hours end on the
    # minute (07:00), so deliveries are checked each minute. Expires in 50 s so
    # a backlog of runs never piles up behind a slow one.
    {
        "name": "notifications.deliveries_send_due every minute",
        "task": "notifications.deliveries_send_due",
        "cron": {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 50,
        "description": "每分钟发送到期的短信、微信和邮件通知 / Send the e-mail, SMS and WeChat deliveries that are due.",
    },
    # 18:00 every day: school is out and parents are home; the day's messages
    # are in, and the digest arrives before the default quiet hours (21:30).
    {
        "name": "notifications.digest_send_due daily 18:00",
        "task": "notifications.digest_send_due",
        "cron": {"minute": "0", "hour": "18", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 3600,
        "description": "每天 18:00 给选择每日汇总的家长发送当天通知汇总 / Daily digest for those who chose it.",
    },
]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_preference"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
