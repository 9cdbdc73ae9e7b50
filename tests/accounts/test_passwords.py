"""Staff passwords are refused when common or guessable, not only when short (issue 15.12)."""

from __future__ import annotations

import pytest

from koosloome.accounts.models import Role
from koosloome.accounts.password_reset import reset_token
from koosloome.accounts.services import WeakPassword, password_problem, set_password


@pytest.mark.parametrize("password", [
    "1234567890", "qwertyuiop", "password123", "Koosloome2026", "tartumaa2025",
    "Mari Maasikas1", "mari.maasikas",
])
def test_common_and_guessable_passwords_are_refused(app, password):
    with app.test_request_context():
        problem = password_problem(password, about=("mari.maasikas@example.ee",
                                                    "Mari Maasikas"))
    assert problem is not None


def test_a_few_unrelated_words_will_do(app):
    with app.test_request_context():
        assert password_problem("rukkilill põder kohvitass", about=("mari@example.ee",)) \
            is None
        assert password_problem("lühike") == "Kasuta vähemalt 10 tähemärki"


def test_the_reset_page_says_why(client, make_user):
    user = make_user(Role.ORGANISER, "vpk")
    with client.application.test_request_context():
        token = reset_token(user)
    response = client.post(f"/reset-password/{token}",
                           data={"password": "1234567890", "confirm": "1234567890"})
    assert response.status_code == 422
    assert "liiga lihtne ära arvata" in response.get_data(as_text=True)


def test_the_service_refuses_them_whatever_the_path(app, make_user):
    user = make_user(Role.ORGANISER, "vpk")
    with app.test_request_context(), pytest.raises(WeakPassword):
        set_password(user, "1234567890")
