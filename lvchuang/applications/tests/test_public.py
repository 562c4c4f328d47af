"""The public goals page: no login, only published goals, residents' comments with a honeypot and a rate limit."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import CampaignWorld
from lvchuang.applications import services
from lvchuang.applications.models import Application, GoalComment
from lvchuang.applications.tests.conftest import AUGUST, submitted


@pytest.fixture
def published(campaign_world: CampaignWorld) -> Application:
    cw = campaign_world
    with time_machine.travel(AUGUST, tick=False):
        application = submitted(cw)
        services.save_goals(
            by=cw.user("unit"),
            application=application,
            goals="垃圾分类参与率达到 70%",
            measures="每月一次宣传",
        )
        return services.publish_goals(by=cw.user("unit"), application=application)


def _comment(client: Client, application: Application, **data: str):
    url = reverse("public_goals:comment", args=[application.campaign_id, application.pk])
    return client.post(url, {"author_name": "张阿姨", "content": "楼道灯还没换", "website": "", **data})


def test_it_lists_published_goals_without_login(published: Application) -> None:
    client = Client()
    listing = client.get(reverse("public_goals:list")).content.decode()
    assert published.campaign.name in listing
    page = client.get(reverse("public_goals:campaign", args=[published.campaign_id]))
    assert page.status_code == 200
    assert "识字岭社区居委会" in page.content.decode()
    assert "垃圾分类参与率达到 70%" in page.content.decode()


def test_it_leaks_nothing_of_an_unpublished_application(campaign_world: CampaignWorld) -> None:
    with time_machine.travel(AUGUST, tick=False):
        application = submitted(campaign_world)
        services.save_goals(
            by=campaign_world.user("unit"), application=application, goals="秘密", measures="秘密"
        )
    client = Client()
    assert "秘密" not in client.get(reverse("public_goals:list")).content.decode()
    assert client.get(reverse("public_goals:campaign", args=[application.campaign_id])).status_code == 404
    assert _comment(client, application).status_code == 404
    assert not GoalComment.objects.exists()


def test_a_withdrawn_application_disappears_from_the_public_page(
    published: Application, campaign_world
) -> None:
    services.withdraw_application(by=campaign_world.user("unit"), application=published)
    assert Client().get(reverse("public_goals:campaign", args=[published.campaign_id])).status_code == 404


def test_a_resident_comments_and_sees_the_comment(published: Application) -> None:
    client = Client()
    response = _comment(client, published)
    assert response.status_code == 302
    comment = GoalComment.objects.get()
    assert (comment.author_name, comment.content) == ("张阿姨", "楼道灯还没换")
    assert len(comment.client_hash) == 64
    assert "127.0.0.1" not in comment.client_hash
    assert "楼道灯还没换" in client.get(response["Location"]).content.decode()


def test_the_honeypot_refuses_a_robot_and_keeps_nothing(published: Application) -> None:
    response = _comment(Client(), published, website="http://spam.example")
    assert response.status_code == 400
    assert not GoalComment.objects.exists()


def test_the_sixth_comment_in_ten_minutes_is_refused_and_keeps_what_was_typed(published: Application) -> None:
    client = Client()
    for number in range(5):
        assert _comment(client, published, content=f"第{number}条").status_code == 302
    response = _comment(client, published, content="第六条意见还在")
    assert response.status_code == 429
    text = response.content.decode()
    assert "提交过于频繁" in text
    assert "第六条意见还在" in text
    assert GoalComment.objects.count() == 5


def test_the_unit_hides_an_abusive_comment_with_a_reason(published: Application, campaign_world) -> None:
    _comment(Client(), published, content="骂人的话")
    comment = GoalComment.objects.get()
    unit = Client()
    unit.force_login(campaign_world.user("unit"))
    url = reverse("applications:hide_comment", args=[published.pk, comment.pk])
    assert unit.post(url, {"reason": ""}).status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert unit.post(url, {"reason": "人身攻击"}).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "人身攻击"
    page = Client().get(reverse("public_goals:campaign", args=[published.campaign_id])).content.decode()
    assert "骂人的话" not in page
    other = Client()
    other.force_login(campaign_world.user("tianxin"))
    assert other.post(url, {"reason": "x"}).status_code == 404
