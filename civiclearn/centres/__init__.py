"""Community digital centres: cohorts, learners, rosters, learner cards and kiosks."""
