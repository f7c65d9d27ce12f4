from django.urls import path

from supervision.views import (
    appraisals,
    calendar,
    dashboard,
    exports,
    facilities,
    meetings,
    visits,
)

app_name = "supervision"

urlpatterns = [
    # Calendar and feed
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/feed-address/", calendar.calendar_feed_issue, name="calendar_feed_issue"),
    path(
        "calendar/feed-address/revoke/",
        calendar.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    # Meetings
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/ics/", meetings.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/action-items/new/",
        meetings.action_item_create,
        name="action_item_create",
    ),
    path(
        "meetings/<int:pk>/evaluations/<int:counselor_pk>/",
        meetings.evaluation_edit,
        name="evaluation_edit",
    ),
    path("meetings/evaluations/<int:pk>/", meetings.evaluation_detail, name="evaluation_detail"),
    path(
        "meetings/evaluations/<int:pk>/agreed-actions/",
        meetings.evaluation_action_create,
        name="evaluation_action_create",
    ),
    path("meetings/action-items/", meetings.my_action_items, name="my_action_items"),
    path(
        "meetings/action-items/<int:pk>/edit/",
        meetings.action_item_edit,
        name="action_item_edit",
    ),
    path(
        "meetings/action-items/<int:pk>/status/",
        meetings.action_item_status,
        name="action_item_status",
    ),
    # Academic supervision
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/plan/", visits.visit_plan, name="visit_plan"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/reschedule/", visits.visit_reschedule, name="visit_reschedule"),
    path("visits/<int:pk>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/observation/", visits.visit_observe, name="visit_observe"),
    path("visits/<int:pk>/feedback/", visits.visit_feedback, name="visit_feedback"),
    path("visits/<int:pk>/follow-up/", visits.visit_follow_up, name="visit_follow_up"),
    # The BK room
    path("facilities/", facilities.facility_overview, name="facility_overview"),
    path("facilities/record/", facilities.facility_record, name="facility_record"),
    path(
        "facilities/requests/new/",
        facilities.facility_request_create,
        name="facility_request_create",
    ),
    path(
        "facilities/requests/<int:pk>/",
        facilities.facility_request_detail,
        name="facility_request_detail",
    ),
    path(
        "facilities/requests/<int:pk>/decision/",
        facilities.facility_request_decide,
        name="facility_request_decide",
    ),
    path(
        "facilities/requests/<int:pk>/fulfilled/",
        facilities.facility_request_fulfil,
        name="facility_request_fulfil",
    ),
    # Competency appraisals and profiles
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
    # Exports (CSV and XLSX)
    path("exports/", exports.export_list, name="export_list"),
    path("exports/students/", exports.export_students, name="export_students"),
    path("exports/sessions/", exports.export_sessions, name="export_sessions"),
    path("exports/training/", exports.export_training, name="export_training"),
    path("exports/appraisals/", exports.export_appraisals, name="export_appraisals"),
    # The principal's dashboard and the period report
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/books/", dashboard.book_overview, name="book_overview"),
    path("report/", dashboard.report_index, name="report_index"),
    path("report/semester/<int:pk>/", dashboard.report_semester, name="report_semester"),
    path(
        "report/semester/<int:pk>/pdf/", dashboard.report_semester_pdf, name="report_semester_pdf"
    ),
    path("report/year/<int:pk>/", dashboard.report_year, name="report_year"),
    path("report/year/<int:pk>/pdf/", dashboard.report_year_pdf, name="report_year_pdf"),
]
