"""People pages: staff and roles, grades, classes, students, guardians, invitations, district schools."""
