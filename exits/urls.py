app_name = "exits"
urlpatterns: list = []
