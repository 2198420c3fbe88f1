"""Choice lists, as the seed describes them (plus the states the seed lacks)."""

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANKS[self]

    def at_least(self, other: "Role") -> bool:
        return self.rank >= Role(other).rank


# Lowest first; every page checks a few roles (navigation links, actions).
_ROLE_RANKS = {role: rank for rank, role in enumerate(Role)}


class ContentType(StrEnum):
    POST = "post"
    PAGE = "page"
    PRODUCT = "product"
    TAXONOMY = "taxonomy"


class ContentStructure(StrEnum):
    ARTICLE = "article"
    GUIDE = "guide"
    COMPARISON = "comparison"
    REVIEW = "review"
    LISTICLE = "listicle"
    LANDING_PAGE = "landing_page"
    BUSINESS_PAGE = "business_page"
    SERVICE_PAGE = "service_page"
    GENERAL = "general"
    CLUSTER_HUB = "cluster_hub"
    PRODUCT_PAGE = "product_page"
    CATEGORY_ARCHIVE = "category_archive"
    TAG_ARCHIVE = "tag_archive"
    ATTRIBUTE_ARCHIVE = "attribute_archive"

    @property
    def cornerstone(self) -> bool:
        return self in (ContentStructure.GUIDE, ContentStructure.LANDING_PAGE)


class TaskStatus(StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"


class ContentStatus(StrEnum):
    """draft → review → approved → published. `approved`: a reviewer accepted it but it is not on
    WordPress (no connection, or "publish later"); `published`: on WordPress or queued to it."""

    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    PUBLISHED = "published"


class ContentSource(StrEnum):
    IGNY8 = "igny8"
    WORDPRESS = "wordpress"


class SyncStatus(StrEnum):
    NONE = "none"
    PENDING = "pending"
    SYNCED = "synced"
    FAILED = "failed"


class TaxonomyType(StrEnum):
    CATEGORY = "category"
    TAG = "tag"


class ImageType(StrEnum):
    FEATURED = "featured"
    DESKTOP = "desktop"
    MOBILE = "mobile"
    IN_ARTICLE = "in_article"


class ImageSource(StrEnum):
    """Where an image's file came from: drawn by the AI provider, or uploaded by a member."""

    AI = "ai"
    UPLOAD = "upload"


class ImageStatus(StrEnum):
    PENDING = "pending"
    GENERATED = "generated"
    FAILED = "failed"


class ClusterRole(StrEnum):
    HUB = "hub"
    SUPPORTING = "supporting"
    ATTRIBUTE = "attribute"


class ClusterMapSource(StrEnum):
    BLUEPRINT = "blueprint"
    MANUAL = "manual"
    IMPORT = "import"


class ReviewDecision(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    OVERRIDDEN = "overridden"


class JobStatus(StrEnum):
    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def done(self) -> bool:
        return self in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED)
