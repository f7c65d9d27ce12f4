from django.urls import path

from supervision.views import appraisals

app_name = "supervision"

# Meetings, supervision visits, facilities and dashboards add their pages here.
urlpatterns = [
    path("appraisals/", appraisals.appraisal_list, name="appraisal_list"),
    path("appraisals/start/", appraisals.appraisal_start, name="appraisal_start"),
    path("appraisals/<int:pk>/", appraisals.appraisal_detail, name="appraisal_detail"),
    path("appraisals/<int:pk>/edit/", appraisals.appraisal_edit, name="appraisal_edit"),
    path("appraisals/<int:pk>/finalise/", appraisals.appraisal_finalise, name="appraisal_finalise"),
    path(
        "appraisals/<int:pk>/acknowledge/",
        appraisals.appraisal_acknowledge,
        name="appraisal_acknowledge",
    ),
    path("appraisals/<int:pk>/print/", appraisals.appraisal_print, name="appraisal_print"),
    path("appraisals/<int:pk>/pdf/", appraisals.appraisal_pdf, name="appraisal_pdf"),
    path("appraisals/<int:pk>/compare/", appraisals.appraisal_compare, name="appraisal_compare"),
    path("competency/", appraisals.competency_overview, name="competency_overview"),
    path("competency/<int:pk>/", appraisals.competency_profile, name="competency_profile"),
]
