app_name = "supervision"

# Meetings, supervision visits, facilities, appraisals and dashboards add their pages here.
urlpatterns: list = []
