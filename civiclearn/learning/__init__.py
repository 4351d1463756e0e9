"""The learner loop: lessons, quizzes with feedback, progress, and the learner's home."""
