"""Issue 14, a new user's trial: the grid worker gets the household card they generate (a link once
it is ready, its status while it renders), and the cashier's home page leads to the counter."""
import pytest
from django.urls import reverse

from documents.models import DocumentStatus, GeneratedDocument
from market.services import cards

from .conftest import earn

pytestmark = pytest.mark.django_db


def test_the_household_page_links_the_card_once_ready_and_shows_its_status_before(
        village, login, django_capture_on_commit_callbacks):
    household = village.households[0]
    earn(village, household, "25")
    client = login(village.grid_workers[1])
    page_url = reverse("market:household", args=[cards.household_code(household)])
    assert "household-card" not in client.get(page_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("market:issue_card", args=[household.pk]))
    card = GeneratedDocument.objects.get(kind="household_card", member=household)
    assert card.status == DocumentStatus.DONE
    html = client.get(page_url).content.decode()
    assert reverse("documents:download", args=[card.pk]) in html
    assert client.get(reverse("documents:download", args=[card.pk])).status_code == 200
    again = cards.issue_card(household, by=village.grid_workers[1])  # a new version, not rendered yet
    assert again.status == DocumentStatus.PENDING and again.version == 2
    html = client.get(page_url).content.decode()
    assert reverse("documents:download", args=[card.pk]) not in html
    assert "正在生成" in html and 'http-equiv="refresh"' in html


def test_the_cashier_home_page_leads_to_the_counter(village, login):
    html = login(village.cashier).get(reverse("home")).content.decode()
    main = html[html.index("<main"):]
    assert f'href="{reverse("market:counter")}"' in main
    assert 'id="h-rounds"' not in main  # the review chain's cards are not the cashier's work
    assert 'id="h-rounds"' in login(village.secretary).get(reverse("home")).content.decode()
    grid = login(village.grid_workers[1]).get(reverse("home")).content.decode()
    assert f'href="{reverse("market:record")}"' in grid[grid.index("<main"):]
