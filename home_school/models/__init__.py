"""Models of home_school, one module per aggregate. Django finds models
only in the app's `models` module, so every model module is imported here,
by name."""

from .committee import Committee, CommitteeLevel, CommitteeMeeting, CommitteeMember, CommitteeRole  # noqa: F401
from .meetings import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply, ParentMeeting, TopicProposal  # noqa: F401
from .messaging import (  # noqa: F401
    MESSAGE_MAX_CHARS,
    Attachment,
    AttachmentContent,
    Conversation,
    ConversationRead,
    Message,
    OfficeHours,
    Weekday,
)
from .notices import Notice, NoticeClass, NoticeReceipt, NoticeScope, NoticeStatus, ReceiptType  # noqa: F401
from .parent_school import ArticleCategory, ParentSchoolArticle  # noqa: F401
from .participation import ParticipationEvent, ParticipationKind, ParticipationRule  # noqa: F401
from .suggestions import Suggestion, SuggestionRecipient, SuggestionReply  # noqa: F401
from .visits import HomeVisit, VisitMethod, VisitSupervision  # noqa: F401
from .volunteering import VolunteerActivity, VolunteerSignup  # noqa: F401
