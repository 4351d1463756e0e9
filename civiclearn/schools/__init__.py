"""Schools and their classes: join codes, members and assigned modules with due dates."""
