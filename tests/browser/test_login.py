import pytest

pytestmark = pytest.mark.browser


def test_login_reaches_the_dashboard(page, tenant, web_login, screenshot):
    page.goto("/")
    assert "/login" in page.url  # anonymous users are sent to the login page
    web_login(tenant.admin)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    screenshot("dashboard")


def test_wrong_password_shows_a_message(page, tenant, screenshot):
    page.goto("/login")
    page.get_by_label("Email").fill(tenant.admin.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("The email or password is not right.").wait_for()  # after the POST answers
    screenshot("wrong-password")
