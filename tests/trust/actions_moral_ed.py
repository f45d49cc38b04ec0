"""Create actions of moral_ed (see actions.py)."""

from .actions import Action

ACTIONS = [
    Action("conduct points", "moral_ed:points_record", "head_teacher", "moral_ed.ConductEvent",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"students": [w.child.pk], "item": o.item.pk, "note": "课堂积极"},
           htmx=True),
    Action("group create", "moral_ed:group_create", "head_teacher", "moral_ed.StudentGroup",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"kind": "study", "name": "二组", "students": [w.classmate.pk]}),
    Action("reward add", "moral_ed:reward_add", "head_teacher", "moral_ed.Reward",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"name": "免作业卡", "cost": "5"}),
    Action("inspection record", "moral_ed:inspection_record", "duty_student", "moral_ed.ClassEvent",
           args=lambda o, w: [w.class2.pk], body=lambda o, w: {"item": o.inspection_item.pk, "day": "2026-11-20"}, htmx=True),
    Action("veto record", "moral_ed:veto_record", "office", "moral_ed.ClassVeto",
           body=lambda o, w: {"school_class": w.class2.pk, "occurred_on": "2026-11-19", "reason": "打架"}),
    Action("term award proposal", "moral_ed:award_propose", "head_teacher", "moral_ed.TermAward",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"kind": "merit_student", "student": w.classmate.pk, "reason": "品学兼优"}),
]
