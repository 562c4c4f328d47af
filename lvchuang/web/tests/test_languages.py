"""Simplified Chinese is the source; Traditional Chinese (derived) and English (translated) are one click away.

The catalogues are compiled by `make messages` (tools/compile_messages.py), which `make test` runs first.
"""

from __future__ import annotations


def switch(client, language, next_url="/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_it_speaks_simplified_chinese_by_default(client, world):
    client.force_login(world.user("city"))
    body = client.get("/").content.decode()
    assert '<html lang="zh-hans"' in body
    assert "需要关注的事项" in body


def test_it_switches_to_english_and_back_to_the_same_page(client, world):
    client.force_login(world.user("city"))
    response = switch(client, "en", "/organisations/units/?kind=school")
    assert response.status_code == 302
    assert response["Location"] == "/organisations/units/?kind=school"
    body = client.get("/").content.decode()
    assert '<html lang="en"' in body
    assert "What needs attention" in body
    assert ">Units</a>" in body  # navigation
    assert "Creation offices" in body
    assert "City office staff" in body  # role label from the model's choices
    assert "Community (residents&#x27; committee)" in body  # unit kind from the model's choices
    assert "需要关注的事项" not in body


def test_it_shows_forms_and_errors_in_english(client, world):
    client.force_login(world.user("unit"))
    switch(client, "en")
    response = client.post(
        f"/organisations/units/{world.furong_unit.pk}/edit/",
        {"household_count": "10", "green_family_count": "20"},
    )
    body = response.content.decode()
    assert "Energy-using headcount" in body  # a model field's verbose name
    assert "There cannot be more green families than households." in body
    assert "Everything you entered has been kept" in body


def test_it_switches_to_traditional_chinese(client, world):
    client.force_login(world.user("city"))
    switch(client, "zh-hant")
    body = client.get("/").content.decode()
    assert '<html lang="zh-hant"' in body
    assert "需要關注的事項" in body
    assert "創建單位" in body
    assert "市創建辦工作人員" in body


def test_it_translates_the_login_page_before_signing_in(client, db):
    switch(client, "en", "/accounts/login/")
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in to lvchuang" in body


def test_it_speaks_simplified_chinese_to_a_browser_set_to_english_until_the_user_switches(client, world):
    client.force_login(world.user("city"))
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans"' in body

    switch(client, "en")

    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
