"""Database models, one module per aggregate. Importing this package registers every table."""

from app.models.ai_call import AICall
from app.models.attempt import Attempt
from app.models.base import utcnow
from app.models.evaluation import Feedback, Report
from app.models.interview import (
    QUESTION_KINDS,
    UNFINISHED,
    AnswerMode,
    InterviewSession,
    Question,
    SessionStatus,
)
from app.models.job import JobRun, JobState
from app.models.recording import Recording
from app.models.recruiter import InterviewPlan, Invite, InviteStatus, WebhookDelivery
from app.models.resume import Resume
from app.models.user import PLAIN_USER_COLUMNS, ApiToken, PlainUser, TokenKind, User

__all__ = [
    "AICall",
    "AnswerMode",
    "QUESTION_KINDS",
    "Attempt",
    "UNFINISHED",
    "ApiToken",
    "PLAIN_USER_COLUMNS",
    "PlainUser",
    "Feedback",
    "InterviewPlan",
    "InterviewSession",
    "JobRun",
    "JobState",
    "Invite",
    "InviteStatus",
    "Question",
    "Recording",
    "Report",
    "Resume",
    "SessionStatus",
    "TokenKind",
    "User",
    "WebhookDelivery",
    "utcnow",
]
