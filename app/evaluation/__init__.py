"""Evaluating an interview: claim → grade → score → store → announce.

Entry points:

* `services.request_evaluation` — claim a completed session and queue its evaluation (once);
  `services.evaluate_now` does the same in the calling thread (CLI, benchmarks);
* `services.wait_for_evaluation` — the feedback once stored, waiting a bounded time;
* `progress.evaluation_progress` — where an evaluation stands (`GET /session/<id>/status`);
* `grading` — each main answer graded by a job as soon as its round is over.

The modules: `claim` (exactly one evaluation per session), `snapshot` (what the grader needs,
copied out of the rows; requests and results), `grading` (per-answer grading jobs), `scoring`
(every number, computed by the server), `integrity` (review-only signals), `store` (one
transaction), `jobs` (the queue's jobs). Nothing here needs a web request: the routes in
`app.feedback` and `app.reports` decide redirects, waits and language.
"""
