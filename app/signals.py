"""Events one package announces and others react to, without importing each other.

`interview_evaluated` is sent (sender: the Flask app, `session=<InterviewSession>`) after a
session's feedback and report are committed; the recruiter package uses it to mark invites
completed and deliver webhooks.
"""

from blinker import Namespace

events = Namespace()

interview_evaluated = events.signal("interview-evaluated")
