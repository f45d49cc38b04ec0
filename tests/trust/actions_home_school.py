"""Create actions of home_school (see actions.py).

A few rows change a row instead of adding one (`rows=0`): the meeting's
minutes, a visit's record and a guardian's answer to a notice. They are
here for the fuzz (free text, dates) and so a repeat is checked to
answer alike.

Objects a row needs beyond the matrix world are made on first use and
kept on the side's namespace (`o`): a draft notice to send, a meeting
that has started (follow-ups, attendance, minutes) and one still to come
that no family has answered."""

import datetime

from django.utils import timezone

from .actions import Action


def _draft_notice(o, w):
    if not hasattr(o, "draft_notice"):
        from tests.home_school.notices_support import make_notice

        o.draft_notice = make_notice(w, title="期末考试安排", send_now=False)
    return o.draft_notice


def _started_meeting(o, w):
    """A meeting of 六(1)班 that began an hour ago: minutes, follow-ups and
    attendance are written once a meeting has started."""
    if not hasattr(o, "started_meeting"):
        from home_school.models import ParentMeeting

        now = timezone.now()
        o.started_meeting = ParentMeeting.objects.create(
            school=w.school, term=w.term, school_class=w.class1, title="安全教育家长会", place="六(1)班教室",
            starts_at=now - datetime.timedelta(hours=1), topics_close_at=now - datetime.timedelta(days=1),
            created_by=w.head_teacher,
        )
    return o.started_meeting


def _unanswered_meeting(o, w):
    if not hasattr(o, "unanswered_meeting"):
        from home_school.services import meetings as meeting_services

        o.unanswered_meeting = meeting_services.meeting_schedule(
            actor=w.head_teacher, school=w.school, term=w.term, title="期末家长会", place="六(1)班教室",
            starts_at=timezone.now() + datetime.timedelta(days=19), school_class=w.class1,
        )
    return o.unanswered_meeting


def _school_committee(o, w):
    from home_school.models import Committee

    return Committee.objects.get(school=w.school, level="school")


def _school_activity(o, w):
    from home_school.models import VolunteerActivity

    return VolunteerActivity.objects.get(school=w.school, school_class__isnull=True)


OFFICE_HOURS = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "21",
                "form-0-weekday": "2", "form-0-start_time": "16:00", "form-0-end_time": "17:00"}

ACTIONS = [
    # Messages.
    Action("message (staff)", "home_school:conversation_detail", "head_teacher", "home_school.Message",
           args=lambda o, w: [o.conversation.pk], body=lambda o, w: {"body": "明天见"}),
    Action("message (portal)", "home_school:portal_conversation", "guardian", "home_school.Message",
           args=lambda o, w: [o.conversation.pk], body=lambda o, w: {"body": "好的"}),
    Action("conversation start (staff)", "home_school:conversation_start", "subject_teacher", "home_school.Message",
           args=lambda o, w: [w.child.pk], body=lambda o, w: {"body": "数学作业请签字"}),
    # The head teacher's conversation exists: the guardian's message joins it.
    Action("conversation start (portal)", "home_school:portal_conversation_start", "guardian", "home_school.Message",
           args=lambda o, w: [w.child.pk], body=lambda o, w: {"body": "老师好，孩子明天请假"}),
    Action("office hours", "home_school:office_hours", "head_teacher", "home_school.OfficeHours",
           body=lambda o, w: dict(OFFICE_HOURS)),
    # Notices.
    Action("notice create", "home_school:notice_create", "head_teacher", "home_school.Notice",
           body=lambda o, w: {"title": "通知", "body": "内容", "scope": "classes", "classes": [w.class1.pk],
                              "receipt_type": "read", "send_mode": "draft"}),
    Action("notice create, send now", "home_school:notice_create", "head_teacher", "home_school.Notice",
           body=lambda o, w: {"title": "明日放假", "body": "明天停课一天。", "scope": "classes", "classes": [w.class1.pk],
                              "receipt_type": "confirm", "send_mode": "now"}),
    # One receipt per student of 六(1)班 (陈小雨, 周子涵); each guardian notified once.
    Action("notice send now", "home_school:notice_send", "head_teacher", "home_school.NoticeReceipt",
           args=lambda o, w: [_draft_notice(o, w).pk], body=lambda o, w: {}, rows=2),
    Action("notice answer (an edit)", "home_school:portal_notice", "guardian", "home_school.NoticeReceipt",
           args=lambda o, w: [o.notice.pk], body=lambda o, w: {"student": w.child.pk, "action": "reply", "choice": "1",
                                                               "comment": "孩子发烧"}, rows=0),
    # Parent meetings.
    Action("meeting create", "home_school:meeting_create", "head_teacher", "home_school.ParentMeeting",
           body=lambda o, w: {"school_class": w.class1.pk, "title": "家长会", "starts_at": "2026-12-02 19:00", "place": "教室"}),
    Action("agenda item", "home_school:meeting_agenda_add", "head_teacher", "home_school.AgendaItem",
           args=lambda o, w: [o.meeting.pk], body=lambda o, w: {"title": "期中成绩分析"}),
    Action("topic accepted onto the agenda", "home_school:meeting_proposal_decide", "head_teacher", "home_school.AgendaItem",
           args=lambda o, w: [o.proposal.pk], body=lambda o, w: {"decision": "accept", "title": "作业量"}),
    Action("meeting topic propose", "home_school:portal_meeting_propose", "guardian", "home_school.TopicProposal",
           args=lambda o, w: [o.meeting.pk], body=lambda o, w: {"student": w.child.pk, "topic": "午休安排"}),
    Action("meeting reply", "home_school:portal_meeting_reply", "guardian", "home_school.MeetingReply",
           args=lambda o, w: [_unanswered_meeting(o, w).pk], body=lambda o, w: {"student": w.child.pk, "answer": "attend"}),
    Action("attendance mark", "home_school:meeting_attendance_mark", "head_teacher", "home_school.MeetingAttendance",
           args=lambda o, w: [_started_meeting(o, w).pk], body=lambda o, w: {"student": w.child.pk, "present": "true"},
           htmx=True),
    # November's deeds to collect: the attendance just marked and the matrix world's notice 陈妈妈 confirmed in time.
    Action("participation collect", "home_school:participation_refresh", "head_teacher", "home_school.ParticipationEvent",
           args=lambda o, w: [w.class1.pk], body=lambda o, w: {"month": "2026-11"}, rows=2),
    Action("meeting minutes (an edit)", "home_school:meeting_minutes", "head_teacher", "home_school.ParentMeeting",
           args=lambda o, w: [_started_meeting(o, w).pk], body=lambda o, w: {"minutes": "到会家长二十人。"}, rows=0),
    Action("follow-up", "home_school:meeting_followup_add", "head_teacher", "home_school.FollowUpAction",
           args=lambda o, w: [_started_meeting(o, w).pk],
           body=lambda o, w: {"text": "整理作业清单", "owner": w.head_teacher.pk, "due_on": "2026-12-01"}),
    # Home visits.
    Action("visit plan", "home_school:visit_plan", "head_teacher", "home_school.HomeVisit",
           body=lambda o, w: {"student": w.classmate.pk, "teacher": w.head_teacher.pk, "planned_on": "2026-11-30", "method": "phone"}),
    Action("visit record (an edit)", "home_school:visit_record", "head_teacher", "home_school.HomeVisit",
           args=lambda o, w: [o.visit.pk],
           body=lambda o, w: {"done_on": "2026-11-20", "method": "visit", "family_situation": "三口之家", "discussed": "作业习惯"},
           rows=0),
    Action("visit supervisor", "home_school:visit_supervisors", "office", "home_school.VisitSupervision",
           body=lambda o, w: {"supervisor": w.principal.pk, "teachers": [w.subject_teacher.pk]}),
    # Parent committees.
    Action("committee member", "home_school:committee_member_add", "office", "home_school.CommitteeMember",
           args=lambda o, w: [_school_committee(o, w).pk],
           body=lambda o, w: {"mobile": "13900000001", "role": "member", "start_date": "2026-11-20"}),
    Action("committee meeting", "home_school:committee_meeting_new", "head_teacher", "home_school.CommitteeMeeting",
           args=lambda o, w: [o.committee.pk], body=lambda o, w: {"held_on": "2026-11-18", "title": "家委会例会"}),
    # Volunteering.
    Action("volunteer activity", "home_school:volunteer_new", "head_teacher", "home_school.VolunteerActivity",
           body=lambda o, w: {"school_class": w.class1.pk, "title": "植树", "date": "2026-12-05", "slots": "3"}),
    Action("volunteer sign-up", "home_school:portal_volunteer_signup", "guardian", "home_school.VolunteerSignup",
           args=lambda o, w: [_school_activity(o, w).pk], body=lambda o, w: {}),
    # Suggestions and the parent school.
    Action("suggestion", "home_school:portal_suggestion_new", "guardian", "home_school.Suggestion",
           body=lambda o, w: {"to": f"class:{w.class1.pk}", "body": "希望多开展阅读活动"}),
    Action("suggestion reply", "home_school:suggestion_reply", "head_teacher", "home_school.SuggestionReply",
           args=lambda o, w: [o.suggestion.pk], body=lambda o, w: {"body": "谢谢建议"}),
    Action("parent-school article", "home_school:article_new", "office", "home_school.ParentSchoolArticle",
           body=lambda o, w: {"title": "亲子阅读", "category": "family", "body": "正文"}),
]
