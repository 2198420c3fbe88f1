"""All models, importable from one place (Alembic autogenerate needs them loaded)."""

from writer_app.models import connections  # noqa: F401  (connection set-up)
from writer_app.models.ai_fixes import AiFix
from writer_app.models.base import db
from writer_app.models.credits import CreditTransaction
from writer_app.models.editing import ContentAutosave, ContentEditLock
from writer_app.models.enums import (
    ClusterMapSource,
    ClusterRole,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentType,
    ImageSource,
    ImageStatus,
    ImageType,
    JobStatus,
    ReviewDecision,
    Role,
    SyncStatus,
    TaskStatus,
    TaxonomyType,
)
from writer_app.models.history import AuditEvent, ReviewEvent, Revision
from writer_app.models.jobs import Job
from writer_app.models.notifications import Notification, NotificationPreference
from writer_app.models.outlines import ContentProvenance, TaskOutline
from writer_app.models.planner import Cluster, ContentIdea
from writer_app.models.submissions import FormSubmission
from writer_app.models.tenancy import (
    Account,
    ApiToken,
    Invitation,
    Membership,
    Sector,
    Site,
    User,
    UserSession,
)
from writer_app.models.writer import (
    Content,
    ContentClusterMap,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    Image,
    Task,
)

__all__ = [
    "Account",
    "AiFix",
    "ApiToken",
    "AuditEvent",
    "Cluster",
    "ClusterMapSource",
    "ClusterRole",
    "Content",
    "ContentAutosave",
    "ContentClusterMap",
    "ContentEditLock",
    "ContentIdea",
    "ContentProvenance",
    "ContentSource",
    "ContentStatus",
    "ContentStructure",
    "ContentTaxonomy",
    "ContentTaxonomyRelation",
    "ContentType",
    "CreditTransaction",
    "FormSubmission",
    "Image",
    "ImageSource",
    "ImageStatus",
    "ImageType",
    "Invitation",
    "Job",
    "JobStatus",
    "Membership",
    "Notification",
    "NotificationPreference",
    "ReviewDecision",
    "ReviewEvent",
    "Revision",
    "Role",
    "Sector",
    "Site",
    "SyncStatus",
    "Task",
    "TaskOutline",
    "TaskStatus",
    "TaxonomyType",
    "User",
    "UserSession",
    "db",
]
