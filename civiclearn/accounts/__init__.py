"""People and signing in. For now learners only: display name, learner code and PIN, no email."""
