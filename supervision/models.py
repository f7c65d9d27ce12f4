# Meetings, supervision visits, facilities and dashboards arrive with their issues.
