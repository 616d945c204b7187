"""Units (đơn vị) managed as Wagtail snippets: listing, search, members, and their use on pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests import factories
from wagtail_policycomms.models import Unit


def unit_url(action, *args):
    return reverse(f"wagtailsnippets_wagtail_policycomms_unit:{action}", args=args)


@pytest.fixture
def units(db):
    return [
        factories.make_unit("Phòng Quản lý khoa học", short_name="QLKH"),
        factories.make_unit("Phòng Quản lý công nghệ", short_name="QLCN"),
        factories.make_unit("Văn phòng Sở", short_name="VP"),
    ]


def test_listing_renders_every_unit(editor_client, units):
    response = editor_client.get(unit_url("list"))
    assert response.status_code == 200
    html = response.content.decode()
    for unit in units:
        assert unit.name in html
        assert unit_url("edit", unit.pk) in html


def test_search_by_name(editor_client, units):
    response = editor_client.get(unit_url("list"), {"q": "công nghệ"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phòng Quản lý công nghệ" in html
    assert "Văn phòng Sở" not in html
    assert "Phòng Quản lý khoa học" not in html


def test_sector_listing_renders(editor_client):
    factories.make_sector("Tiêu chuẩn đo lường chất lượng")
    response = editor_client.get(reverse("wagtailsnippets_wagtail_policycomms_sector:list"))
    assert response.status_code == 200
    assert "Tiêu chuẩn đo lường chất lượng" in response.content.decode()


def unit_form(name, members=(), **fields):
    return {
        "name": name,
        "short_name": "",
        "email": "unit@sokhcn.hungyen.gov.vn",
        "phone": "",
        "address": "Số 1 Đường Chùa Chuông",
        "is_active": "on",
        "members": [str(user.pk) for user in members],
        **fields,
    }


def test_create_unit_with_two_members(editor_client):
    lan, minh = factories.make_user("lan"), factories.make_user("minh")
    response = editor_client.post(unit_url("add"), unit_form("Thanh tra Sở", [lan, minh]))
    assert response.status_code == 302
    unit = Unit.objects.get(name="Thanh tra Sở")
    assert set(unit.members.all()) == {lan, minh}
    assert unit.has_contact_details


def test_duplicate_name_is_refused(editor_client, units):
    response = editor_client.post(unit_url("add"), unit_form("Văn phòng Sở"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Unit.objects.filter(name="Văn phòng Sở").count() == 1


def test_a_person_may_belong_to_several_units(editor_client, units):
    lan = factories.make_user("lan")
    science, technology, office = units
    for unit in (science, technology):
        data = unit_form(unit.name, [lan], short_name=unit.short_name, email=unit.email)
        assert editor_client.post(unit_url("edit", unit.pk), data).status_code == 302
    assert set(lan.policycomms_units.all()) == {science, technology}
    assert set(Unit.objects.for_user(lan)) == {science, technology}
    assert office not in Unit.objects.for_user(lan)


def test_for_user_is_empty_for_visitors(units):
    assert list(Unit.objects.for_user(AnonymousUser())) == []


def test_inactive_units_are_not_active(units):
    units[2].is_active = False
    units[2].save()
    assert set(Unit.objects.active()) == set(units[:2])


def test_unit_used_by_a_draft_cannot_be_deleted(editor_client, index, units):
    """Drafts and rounds point at their units (PROTECT): the admin explains instead of failing."""
    factories.make_draft(index, drafting_unit=units[0])
    confirm = editor_client.get(unit_url("delete", units[0].pk))
    assert confirm.status_code == 200
    assert "prevent it from being deleted" in confirm.content.decode()
    response = editor_client.post(unit_url("delete", units[0].pk))
    assert response.status_code == 302
    assert Unit.objects.filter(pk=units[0].pk).exists()


def test_unused_unit_can_be_deleted(editor_client, units):
    response = editor_client.post(unit_url("delete", units[2].pk))
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=units[2].pk).exists()
