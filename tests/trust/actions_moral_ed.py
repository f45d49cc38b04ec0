"""Create actions of moral_ed (see actions.py): every create form and htmx
create action of the app, as the permission matrix's world has them."""

from decimal import Decimal

from .actions import Action


def _star(o, w):
    """An active star other than the one side 1's child is nominated for."""
    from moral_ed.models import StarCategory

    return StarCategory.objects.filter(school=w.school, is_active=True).exclude(pk=o.star.category_id).order_by("pk").first()


def _room_item(o, w):
    from moral_ed.models import DormItem

    return DormItem.objects.filter(school=w.school, applies_to="room", is_active=True).order_by("pk").first()


def _redeemable(o, w):
    """A reward of 六(1)班 worth 1 point and 2 points in the bank of the
    classmate to pay it with: made once (the body is asked for again and
    again), by the services a head teacher uses."""
    from moral_ed.models import ConductItem, Reward
    from moral_ed.services.conduct import points_record, reward_save

    reward = Reward.objects.filter(school_class=w.class1, name="表扬卡").first()
    if reward is None:
        reward = reward_save(actor=w.head_teacher, school_class=w.class1, name="表扬卡", cost=Decimal("1"))
        item = ConductItem.objects.filter(school=w.school, is_active=True, points=2).order_by("pk").first()
        points_record(actor=w.head_teacher, school=w.school, term=w.term, school_class=w.class1, student_ids=[w.classmate.pk], item=item)
    return {"student": w.classmate.pk, "reward": reward.pk}


ACTIONS = [
    Action("conduct points", "moral_ed:points_record", "head_teacher", "moral_ed.ConductEvent",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"students": [w.child.pk], "item": o.item.pk, "note": "课堂积极"},
           htmx=True),
    Action("group create", "moral_ed:group_create", "head_teacher", "moral_ed.StudentGroup",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"kind": "study", "name": "二组", "students": [w.classmate.pk]}),
    Action("group points", "moral_ed:group_points", "head_teacher", "moral_ed.GroupEvent",
           args=lambda o, w: [o.group.pk], body=lambda o, w: {"item": o.item.pk, "note": "值日认真"}),
    Action("reward add", "moral_ed:reward_add", "head_teacher", "moral_ed.Reward",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"name": "免作业卡", "cost": "5"}),
    Action("bank redemption", "moral_ed:bank_redeem", "head_teacher", "moral_ed.Redemption",
           args=lambda o, w: [w.class1.pk], body=_redeemable),
    Action("star nomination", "moral_ed:class_stars", "head_teacher", "moral_ed.StarAward",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"category": _star(o, w).pk, "student": w.classmate.pk, "reason": "乐于助人"}),
    Action("review merge", "moral_ed:review_action", "head_teacher", "moral_ed.GuardianNote",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"action": "merge", "events": [o.event.pk], "text": "本周课堂纪律需要加强"}),
    Action("inspection record", "moral_ed:inspection_record", "duty_student", "moral_ed.ClassEvent",
           args=lambda o, w: [w.class2.pk], body=lambda o, w: {"item": o.inspection_item.pk, "day": "2026-11-20"}, htmx=True),
    Action("veto record", "moral_ed:veto_record", "office", "moral_ed.ClassVeto",
           body=lambda o, w: {"school_class": w.class2.pk, "occurred_on": "2026-11-19", "reason": "打架"}),
    Action("dorm deduction", "moral_ed:dorm_event_record", "office", "moral_ed.DormEvent",
           args=lambda o, w: [o.building.pk],
           body=lambda o, w: {"room": o.dorm_room.pk, "item": _room_item(o, w).pk, "day": "2026-11-20", "note": "地面有纸屑"}),
    Action("bed assignment", "moral_ed:dorm_bed_assign", "office", "moral_ed.BedAssignment",
           args=lambda o, w: [o.building.pk], body=lambda o, w: {"bed": o.dorm_room.bed_list[1].pk, "student": w.classmate.pk}),
    Action("term award proposal", "moral_ed:award_propose", "head_teacher", "moral_ed.TermAward",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"kind": "merit_student", "student": w.classmate.pk, "reason": "品学兼优"}),
    Action("outstanding head teacher proposal", "moral_ed:award_propose_head", "office", "moral_ed.TermAward",
           body=lambda o, w: {"school_class": w.class2.pk, "reason": "班级管理细致"}),
    Action("practice record", "moral_ed:practice_add", "head_teacher", "moral_ed.PracticeRecord",
           args=lambda o, w: [w.classmate.pk],
           body=lambda o, w: {"kind": "community_service", "title": "敬老院志愿服务", "occurred_on": "2026-11-15", "hours": "2",
                              "description": "陪老人聊天、打扫房间"}),
]
