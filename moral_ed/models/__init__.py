"""Models of moral_ed, one module per aggregate. Django finds models only
in the app's `models` module, so every model module is imported here, by
name: each model and choice class is importable from moral_ed.models.
Constants and helpers (POINTS, HALF_POINTS_MESSAGE, ...) stay in their
module (moral_ed.models.conduct)."""

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
from .conduct import (  # noqa: F401,E402
    ConductEvent,
    ConductItem,
    ConductSettings,
    Dimension,
    DimensionLimit,
    Disclosure,
    GroupEvent,
    GroupKind,
    GroupMembership,
    GuardianNote,
    Redemption,
    Reward,
    StarAward,
    StarCategory,
    StarPeriod,
    StarStatus,
    StudentGroup,
)
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
