from django.urls import path

from safeguarding.core.views import admin, auth, health

app_name = "core"

urlpatterns = [
    path("", admin.home, name="home"),
    path("health/", health.health, name="health"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("two-factor/", auth.two_factor_check, name="two-factor"),
    path("two-factor/set-up/", auth.two_factor_setup, name="two-factor-setup"),
    path("two-factor/backup-codes/", auth.backup_codes, name="backup-codes"),
    path("password/set/<uidb64>/<token>/", auth.PasswordSetView.as_view(), name="password-set"),
    path("partnerships/", admin.partnership_list, name="partnership-list"),
    path("partnerships/add/", admin.partnership_add, name="partnership-add"),
    path("partnerships/<slug:code>/", admin.partnership_detail, name="partnership-detail"),
    path("partnerships/<slug:code>/edit/", admin.partnership_edit, name="partnership-edit"),
    path("partnerships/<slug:code>/sub-groups/add/", admin.sub_group_add, name="sub-group-add"),
    path("partnerships/<slug:code>/local-authorities/add/", admin.la_add, name="la-add"),
    path("partnerships/<slug:code>/shares/add/", admin.share_add, name="share-add"),
    path("agencies/add/", admin.agency_add, name="agency-add"),
    path("agencies/<int:pk>/edit/", admin.agency_edit, name="agency-edit"),
    path("people/", admin.people_list, name="people-list"),
    path("people/add/", admin.person_add, name="person-add"),
    path("people/<int:pk>/", admin.person_detail, name="person-detail"),
    path("memberships/<int:pk>/remove/", admin.membership_remove, name="membership-remove"),
    path("calendar/", admin.calendar, name="calendar"),
    path("audit/", admin.audit_log, name="audit-log"),
    path("api-tokens/", admin.api_tokens, name="api-tokens"),
    path("scheduled-jobs/", admin.scheduled_jobs, name="scheduled-jobs"),
    path("api-tokens/<int:pk>/revoke/", admin.api_token_revoke, name="api-token-revoke"),
]
