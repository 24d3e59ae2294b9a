"""大字 (larger text): a switch in the top bar, kept on the login so it follows the secretary to every device."""

import pytest
from django.urls import reverse

from branches.services import user_text_size_update

pytestmark = pytest.mark.django_db

SWITCH = reverse("branches:text_size")


def large_text_of(user):
    user.refresh_from_db()
    return user.large_text


def html_tag(response):
    text = response.content.decode()
    return text[text.index("<html") : text.index(">", text.index("<html")) + 1]


def test_the_switch_turns_large_text_on_and_off_and_comes_back_to_the_page(users, login):
    client = login(users.tongliang)
    page = reverse("branches:household_list")

    response = client.post(SWITCH, {"large": "1", "next": page})
    assert response.status_code == 302 and response.url == page
    assert large_text_of(users.tongliang) is True
    assert 'class="text-large"' in html_tag(client.get(page))

    client.post(SWITCH, {"large": "0", "next": page})
    assert large_text_of(users.tongliang) is False
    assert "text-large" not in html_tag(client.get(page))


def test_the_pages_show_the_switch_pressed_or_not(users, login):
    client = login(users.tongliang)
    assert 'aria-pressed="false"' in client.get(reverse("branches:household_list")).content.decode()
    user_text_size_update(user=users.tongliang, large=True)
    page = client.get(reverse("branches:household_list")).content.decode()
    assert 'aria-pressed="true"' in page and 'name="large" value="0"' in page


def test_a_script_asking_for_json_gets_the_new_state(users, login):
    client = login(users.tongliang)
    response = client.post(SWITCH, {"large": "1"}, headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json() == {"large_text": True}
    assert large_text_of(users.tongliang) is True


def test_it_is_one_users_setting_not_everyones(users, login):
    login(users.tongliang).post(SWITCH, {"large": "1"})
    assert large_text_of(users.tongliang) is True
    assert large_text_of(users.yangqiu) is False
    assert "text-large" not in html_tag(login(users.yangqiu).get(reverse("branches:household_list")))


def test_a_get_changes_nothing(users, login):
    response = login(users.tongliang).get(SWITCH, {"large": "1"})
    assert response.status_code == 405
    assert large_text_of(users.tongliang) is False


def test_someone_not_logged_in_is_sent_to_the_login_page(users, client):
    response = client.post(SWITCH, {"large": "1"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert large_text_of(users.tongliang) is False


def test_the_post_needs_the_pages_csrf_token(users, client):
    client.handler.enforce_csrf_checks = True
    client.force_login(users.tongliang)
    assert client.post(SWITCH, {"large": "1"}).status_code == 403
    assert large_text_of(users.tongliang) is False


def test_a_next_pointing_elsewhere_goes_home_instead(users, login):
    response = login(users.tongliang).post(SWITCH, {"large": "1", "next": "//evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_switching_is_no_change_in_the_users_history(users):
    before = users.tongliang.history.count()
    user_text_size_update(user=users.tongliang, large=True)
    assert large_text_of(users.tongliang) is True
    assert users.tongliang.history.count() == before
