"""Census return (CSWW) and caseload upload pages."""

app_name = "census"
urlpatterns: list = []
