"""Programme administration: centres and cohorts, schools and classes, staff accounts and roles."""
