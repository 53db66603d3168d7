import pytest


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
