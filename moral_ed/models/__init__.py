"""Models of moral_ed, one module per aggregate. Import them all here so
Django finds them."""

from .awards import (  # noqa: F401,E402
    PRACTICE_CREDITS,
    STUDENT_AWARDS,
    AwardKind,
    AwardStatus,
    PracticeEvidence,
    PracticeKind,
    PracticeRecord,
    TermAward,
)
from .conduct import *  # noqa: F401,F403
from .dorms import (  # noqa: F401,E402
    BedAssignment,
    CaseStatus,
    Confirmer,
    DormBed,
    DormBuilding,
    DormCase,
    DormEvent,
    DormItem,
    DormLevelChange,
    DormRoom,
    DormSettings,
    DormTarget,
    EscalationStep,
)
from .evaluations import (  # noqa: F401,E402
    ClassResult,
    DormResult,
    Evaluation,
    EvaluationKind,
    EvaluationRevision,
    EvaluationSettings,
    GroupResult,
    HeadTeacherAppraisal,
    RevisionStatus,
    StudentResult,
)
from .inspections import ClassEvent, ClassVeto, InspectionItem  # noqa: F401,E402
