"""A member's home page links to the public board of their own organisation's round, not to a board
above it that lists other branches' rounds (a village member was sent to 某县委组织部公示栏)."""
from reviews.services import filing
from reviews.services import meeting as meeting_service
from tests.world import declare, make_user, open_round, quorate_meeting


def _publicise_east(county):
    declare(county, points="3")
    review_round = open_round(county)
    quorate_meeting(county, review_round, by=county.secretary)
    meeting_service.bulk_approve(review_round, county.secretary)
    meeting_service.submit_to_higher(review_round, county.secretary)
    filing.file_round(review_round, county.reviewer, "同意备案")


def test_home_links_to_the_members_own_board_only(county, login):
    _publicise_east(county)
    east_home = login(county.member_user).get("/").content.decode()
    assert f"/public/{county.east.code}/" in east_home

    west_user = make_user("zhou-west-member")
    county.west_member.user = west_user
    county.west_member.save()
    west_home = login(west_user).get("/").content.decode()
    for other in (county.east, county.general, county.town):
        assert f"/public/{other.code}/" not in west_home
