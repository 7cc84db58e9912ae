"""Training-level checks: a teacher-student long-memory regression trained from each initialisation."""
