"""Create actions of home_school (see actions.py)."""

from .actions import Action

ACTIONS = [
    Action("message (staff)", "home_school:conversation_detail", "head_teacher", "home_school.Message",
           args=lambda o, w: [o.conversation.pk], body=lambda o, w: {"body": "明天见"}),
    Action("message (portal)", "home_school:portal_conversation", "guardian", "home_school.Message",
           args=lambda o, w: [o.conversation.pk], body=lambda o, w: {"body": "好的"}),
    Action("notice create", "home_school:notice_create", "head_teacher", "home_school.Notice",
           body=lambda o, w: {"title": "通知", "body": "内容", "scope": "classes", "classes": [w.class1.pk],
                              "receipt_type": "read", "send_mode": "draft"}),
    Action("meeting create", "home_school:meeting_create", "head_teacher", "home_school.ParentMeeting",
           body=lambda o, w: {"school_class": w.class1.pk, "title": "家长会", "starts_at": "2026-12-02 19:00", "place": "教室"}),
    Action("meeting topic propose", "home_school:portal_meeting_propose", "guardian", "home_school.TopicProposal",
           args=lambda o, w: [o.meeting.pk], body=lambda o, w: {"student": w.child.pk, "topic": "午休安排"}),
    Action("visit plan", "home_school:visit_plan", "head_teacher", "home_school.HomeVisit",
           body=lambda o, w: {"student": w.classmate.pk, "teacher": w.head_teacher.pk, "planned_on": "2026-11-30", "method": "phone"}),
    Action("committee meeting", "home_school:committee_meeting_new", "head_teacher", "home_school.CommitteeMeeting",
           args=lambda o, w: [o.committee.pk], body=lambda o, w: {"held_on": "2026-11-18", "title": "家委会例会"}),
    Action("volunteer activity", "home_school:volunteer_new", "head_teacher", "home_school.VolunteerActivity",
           body=lambda o, w: {"school_class": w.class1.pk, "title": "植树", "date": "2026-12-05", "slots": "3"}),
    Action("suggestion", "home_school:portal_suggestion_new", "guardian", "home_school.Suggestion",
           body=lambda o, w: {"to": f"class:{w.class1.pk}", "body": "希望多开展阅读活动"}),
    Action("suggestion reply", "home_school:suggestion_reply", "head_teacher", "home_school.SuggestionReply",
           args=lambda o, w: [o.suggestion.pk], body=lambda o, w: {"body": "谢谢建议"}),
    Action("parent-school article", "home_school:article_new", "office", "home_school.ParentSchoolArticle",
           body=lambda o, w: {"title": "亲子阅读", "category": "family", "body": "正文"}),
]
