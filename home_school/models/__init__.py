"""Models of home_school, one module per aggregate. Import them all here so
Django finds them."""

from .committee import Committee, CommitteeLevel, CommitteeMeeting, CommitteeMember, CommitteeRole  # noqa: F401
from .meetings import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply, ParentMeeting, TopicProposal  # noqa: F401
from .messaging import *  # noqa: F401,F403
from .notices import Notice, NoticeClass, NoticeReceipt, NoticeScope, NoticeStatus, ReceiptType  # noqa: F401
from .parent_school import ArticleCategory, ParentSchoolArticle  # noqa: F401
from .participation import ParticipationEvent, ParticipationKind, ParticipationRule  # noqa: F401
from .suggestions import Suggestion, SuggestionRecipient, SuggestionReply  # noqa: F401
from .visits import HomeVisit, VisitMethod, VisitSupervision  # noqa: F401
from .volunteering import VolunteerActivity, VolunteerSignup  # noqa: F401
