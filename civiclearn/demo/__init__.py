"""Demo data for trying CivicLearn out: added only when asked (`make demo`, `flask demo seed`) or by a first
`make run` on a new, empty database; marked (`is_demo` on people, centres and schools), so it is never
counted in the overview or the open data; removed completely by `flask demo remove`, and then never added
again unless asked with `--again`. Production starts (deploy/) never add it.

    models   whether this database has had the demo (one row)
    seed     the demo's centres, school, people and their progress (journeys 3 to 7)
    progress the reports' share of it: a cohort part-way through a course, a class, a second centre
    comments comments enough for the comment themes, and their first run
    removal  every demo row, and every row that hangs on one, in one transaction
    cli      `flask demo seed` and `flask demo remove`, and what they print
"""
