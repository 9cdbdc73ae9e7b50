"""Choosing who goes (issue 18.2): applications scored against named criteria by several
reviewers, set side by side and ranked, the balance of the chosen group, seat quotas per
partner enforced on every path that gives a seat, and decisions that go out in each
applicant's language and put the rest on a reserve list in rank order."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.db import utcnow
from koosloome.events.models import EventKind, ExtraQuestion, QuestionKind, RegistrationMode
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import Answer, Registration, RegistrationStatus
from koosloome.seating.quotas import partners_of
from koosloome.selection.models import ApplicationReview, ApplicationScore, SelectionCriterion
from tests.factories import organisation, writing

Status = RegistrationStatus


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def trip(make_event):
    """A VPK and TAS study trip by application, with offers, two criteria and a question."""
    event = make_event(kind=EventKind.STUDY_TRIP, registration_mode=RegistrationMode.APPLICATION,
                       capacity=3, offer_hours=72, co_organiser=organisation("tas"),
                       starts_at=utcnow().replace(microsecond=0) + timedelta(days=60))
    db.session.add_all([
        SelectionCriterion(event_id=event.id, position=0, name_et="Motivatsioon",
                           name_en="Motivation", max_score=5, weight=2),
        SelectionCriterion(event_id=event.id, position=1, name_et="Õpitu kasutamine",
                           name_en="Use of what is learned", max_score=10, weight=1),
        ExtraQuestion(event_id=event.id, position=0, kind=QuestionKind.LONG_TEXT,
                      label_et="Miks soovid tulla?", label_en="Why would you like to come?"),
    ])
    db.session.commit()
    return event


def _apply(make_registration, trip, name, county="voru", **fields):
    registration = make_registration(trip, name=name, status=Status.PENDING, county=county,
                                     email=f"{name.split()[0].lower()}@example.ee", **fields)
    question = trip.questions[0]
    db.session.add(Answer(registration_id=registration.id, question_id=question.id,
                          value=f"{name} tahab õppida."))
    db.session.commit()
    return registration


def _criteria(trip) -> list[SelectionCriterion]:
    return list(db.session.scalars(select(SelectionCriterion).where(
        SelectionCriterion.event_id == trip.id).order_by(SelectionCriterion.position)))


def _score(client, trip, registration, motivation, use, **extra):
    first, second = _criteria(trip)
    data = {f"score_{first.id}": str(motivation), f"score_{second.id}": str(use),
            "target_group_org": "", **extra}
    return client.post(f"/admin/events/{trip.id}/selection/{registration.id}", data=data)


def test_reviewers_scores_are_averaged_weighted_and_ranked_side_by_side(
        app, client, login, make_user, make_registration, trip):
    mari = _apply(make_registration, trip, "Mari Tamm")
    peeter = _apply(make_registration, trip, "Peeter Lepik", county="tartu")
    aino = _apply(make_registration, trip, "Aino Sepp")
    kadri, tiina = make_user(Role.ORGANISER, "vpk"), make_user(Role.ORGANISER, "tas")
    login(kadri)
    saved = _score(client, trip, mari, 5, 6)
    # saved, and on to the next application this reviewer has not scored
    assert saved.status_code == 302 and saved.location.endswith(f"/selection/{peeter.id}")
    _score(client, trip, peeter, 4, 10)
    client.post("/logout")
    login(tiina)
    _score(client, trip, mari, 3, 8)
    overview = _text(client.get(f"/admin/events/{trip.id}/selection"))
    # Mari: motivation (5+3)/2 = 4 ×2, use (6+8)/2 = 7 → (8+7)/(10+10) = 75.0
    # Peeter: 4 ×2 + 10 = 18/20 = 90.0 (one reviewer); Aino: not scored, last
    assert overview.index("Peeter Lepik") < overview.index("Mari Tamm") < \
        overview.index("Aino Sepp")
    assert "<strong>90,0</strong>" in overview and "<strong>75,0</strong>" in overview
    assert "2 hindajat" in overview and "hindamata" in overview
    side_by_side = _text(client.get(f"/admin/events/{trip.id}/selection/compare",
                                    query_string={"r": [mari.id, peeter.id, aino.id]}))
    assert "Mari Tamm tahab õppida." in side_by_side
    assert "Peeter Lepik tahab õppida." in side_by_side
    assert "4,0 / 5" in side_by_side and "7,0 / 10" in side_by_side
    # one application alone is not a comparison
    alone = client.get(f"/admin/events/{trip.id}/selection/compare",
                       query_string={"r": [mari.id]})
    assert alone.status_code == 302


def test_a_score_out_of_range_is_refused_beside_its_field_and_nothing_is_saved(
        client, login, make_user, make_registration, trip):
    mari = _apply(make_registration, trip, "Mari Tamm")
    login(make_user(Role.ORGANISER, "vpk"))
    refused = _score(client, trip, mari, 9, 3, note="Hea kandidaat")
    assert refused.status_code == 422 and "Viga:" in _text(refused)
    assert db.session.scalar(select(func.count(ApplicationScore.id))) == 0
    assert db.session.scalar(select(func.count(ApplicationReview.id))) == 0


def test_the_balance_counts_the_chosen_group_by_partner_county_sector_and_first_timers(
        client, login, make_event, make_user, make_registration, trip):
    earlier = make_event(starts_at=utcnow() - timedelta(days=100))
    make_registration(earlier, email="mari@example.ee")  # Mari has been before
    mari = _apply(make_registration, trip, "Mari Tamm", sector="community")
    peeter = _apply(make_registration, trip, "Peeter Lepik", county="tartu",
                    sector="entrepreneur")
    _apply(make_registration, trip, "Aino Sepp")  # not chosen: not in the balance
    login(make_user(Role.ORGANISER, "vpk"))
    _score(client, trip, mari, 5, 6, shortlisted="y", target_group_org="yes")
    _score(client, trip, peeter, 4, 10, shortlisted="y", target_group_org="no")
    page = _text(client.get(f"/admin/events/{trip.id}/selection"))
    assert "2 inimest, 2 / 3 kohta" in page
    assert "Võrumaa Partnerluskogu</th><td>1</td>" in page
    assert "Tartumaa Arendusselts</th><td>1</td>" in page
    assert "1 jah, 1 ei, 0 hindamata" in page
    assert "Esimest korda projektis</dt><dd>1 / 2" in page
    assert "Kogukond või MTÜ: 1" in page and "Ettevõtja: 1" in page


def _shortlist(registration, partner=None):
    db.session.add(ApplicationReview(registration_id=registration.id, shortlisted=True,
                                     partner_id=partner))
    db.session.commit()


def _give_scores(trip, reviewer, scores: dict):
    """The same points on every criterion."""
    for registration, score in scores.items():
        for criterion in _criteria(trip):
            db.session.add(ApplicationScore(registration_id=registration.id,
                                            criterion_id=criterion.id, reviewer_id=reviewer.id,
                                            score=score))
    db.session.commit()


def test_decisions_offer_the_chosen_and_rank_the_rest_each_in_their_language(
        client, login, make_user, make_registration, trip):
    kadri = make_user(Role.ORGANISER, "vpk")
    trip.capacity = 1
    db.session.commit()
    chosen = _apply(make_registration, trip, "Mari Tamm")
    english = _apply(make_registration, trip, "John Smith", language="en")
    third = _apply(make_registration, trip, "Aino Sepp")
    best_reserve = _apply(make_registration, trip, "Ene Kuusk")
    _give_scores(trip, kadri, {chosen: 5, english: 2, third: 1, best_reserve: 4})
    _shortlist(chosen)
    login(kadri)
    preview = _text(client.get(f"/admin/events/{trip.id}/selection/decisions"))
    assert preview.index("Ene Kuusk") < preview.index("John Smith") < preview.index("Aino Sepp")
    assert client.post(f"/admin/events/{trip.id}/selection/decisions").status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, chosen.id).status is Status.OFFERED
    assert [db.session.get(Registration, r.id).status for r in (english, third, best_reserve)] \
        == [Status.WAITLISTED] * 3
    render_pending()
    mails = {m.registration_id: m for m in db.session.scalars(select(OutgoingEmail))}
    assert mails[chosen.id].kind == "offer_made"
    assert "Sinu koht varunimekirjas: 1." in mails[best_reserve.id].body_text
    assert "Your place on the reserve list: 2." in mails[english.id].body_text
    assert mails[english.id].subject.startswith("You are on the reserve list")
    assert "Sinu koht varunimekirjas: 3." in mails[third.id].body_text
    assert "Varunimekirjas, number 1" in _text(client.get(f"/r/{best_reserve.manage_token}"))
    # the chosen says no: the best ranked on the reserve list is offered the seat
    client.post("/logout")
    client.post(f"/r/{chosen.manage_token}/cancel")
    db.session.expire_all()
    assert db.session.get(Registration, best_reserve.id).status is Status.OFFERED
    assert db.session.get(Registration, english.id).status is Status.WAITLISTED


def test_decisions_that_break_a_partners_share_are_refused_and_change_nothing(
        client, login, make_user, make_registration, trip):
    vpk, tas = organisation("vpk"), organisation("tas")
    user = make_user(Role.ORGANISER, "vpk")
    login(user)
    assert client.post(f"/admin/events/{trip.id}/selection/settings/quotas", data={
        f"quota_{vpk.id}": "1", f"quota_{tas.id}": "2"}).status_code == 302
    first = _apply(make_registration, trip, "Mari Tamm")
    second = _apply(make_registration, trip, "Jaan Kask")
    _shortlist(first)
    _shortlist(second)
    refused = client.post(f"/admin/events/{trip.id}/selection/decisions")
    assert refused.status_code == 409
    assert "VPK: valitud 2 kohta ja 0 juba hõivatud, aga tema osa on 1 koht." in _text(refused)
    db.session.expire_all()
    assert {db.session.get(Registration, r.id).status for r in (first, second)} == {Status.PENDING}
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == 0
    # shares that add up to more than the seats are refused with what is wrong
    too_many = client.post(f"/admin/events/{trip.id}/selection/settings/quotas", data={
        f"quota_{vpk.id}": "3", f"quota_{tas.id}": "2"})
    assert too_many.status_code == 422 and "rohkem kui reisi 3" in _text(too_many)


def test_a_freed_seat_goes_to_the_first_on_the_reserve_whose_partner_has_room(
        app, client, make_user, make_registration, trip):
    from koosloome.selection import services, settings
    vpk, tas = organisation("vpk"), organisation("tas")
    user = make_user(Role.ORGANISER, "vpk")
    going = [_apply(make_registration, trip, name, county)
             for name, county in (("Mari Tamm", "voru"), ("Jaan Kask", "voru"),
                                  ("Peeter Lepik", "tartu"))]
    tas_reserve = _apply(make_registration, trip, "Helju Rebane", "tartu")
    vpk_reserve = _apply(make_registration, trip, "Rein Oja", "voru")
    _give_scores(trip, user, {tas_reserve: 5, vpk_reserve: 1})
    for registration in going:
        _shortlist(registration)
    with writing():
        settings.set_quotas(trip, {vpk.id: 2, tas.id: 1}, user)
        services.send_decisions(trip, user)
    assert partners_of([tas_reserve])[tas_reserve.id] == tas.id
    client.post(f"/r/{going[0].manage_token}/cancel")  # a VPK seat is freed
    db.session.expire_all()
    # Helju ranks first but TAS's one seat is taken: Rein (VPK) is offered the seat
    assert db.session.get(Registration, vpk_reserve.id).status is Status.OFFERED
    assert db.session.get(Registration, tas_reserve.id).status is Status.WAITLISTED


def test_an_organisers_yes_by_hand_keeps_to_the_share_too(
        client, login, make_user, make_registration, trip):
    vpk = organisation("vpk")
    login(make_user(Role.ORGANISER, "vpk"))
    client.post(f"/admin/events/{trip.id}/selection/settings/quotas",
                data={f"quota_{vpk.id}": "1"})
    make_registration(trip, county="voru")  # VPK's one seat is taken
    applicant = _apply(make_registration, trip, "Jaan Kask")
    token = create_api_token(make_user(Role.ORGANISER, "vpk", email="api@example.ee"))
    db.session.commit()
    refused = client.patch(f"/api/v1/registrations/{applicant.id}",
                           json={"status": "confirmed"},
                           headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 409 and refused.get_json()["error"] == "quota_full"
    db.session.expire_all()
    assert db.session.get(Registration, applicant.id).status is Status.PENDING


def test_the_selection_in_the_api(client, make_event, make_user, make_registration, trip):
    token = create_api_token(make_user(Role.ORGANISER, "vpk", email="api@example.ee"))
    other_trip = make_event(organisation=organisation("tas"))
    other = create_api_token(make_user(Role.ORGANISER, "tas", email="tas@example.ee"))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    mari = _apply(make_registration, trip, "Mari Tamm")
    peeter = _apply(make_registration, trip, "Peeter Lepik", county="tartu")
    url = f"/api/v1/events/{trip.id}/selection"
    assert client.get(url, headers={"Authorization": f"Bearer {other}"}).status_code == 200
    assert client.get(f"/api/v1/events/{other_trip.id}/selection",
                      headers=headers).status_code == 403  # the other partner's own event
    first, second = _criteria(trip)
    second_id = second.id
    put = client.put(url, headers=headers, json={
        "criteria": [{"id": first.id, "name_et": "Motivatsioon", "max_score": 5, "weight": 3},
                     {"name_et": "Sihtrühmaga töö", "max_score": 3}],
        "quotas": {"vpk": 2, "tas": 1}})
    assert put.status_code == 200, put.get_json()
    body = put.get_json()
    assert [c["name_et"] for c in body["criteria"]] == ["Motivatsioon", "Sihtrühmaga töö"]
    assert body["quotas"] == {"vpk": 2, "tas": 1}
    assert db.session.get(SelectionCriterion, second_id) is None  # not named: gone
    new_id = body["criteria"][1]["id"]
    scored = client.patch(f"/api/v1/events/{trip.id}/applications/{peeter.id}", headers=headers,
                          json={"scores": {str(first.id): 5, str(new_id): 3},
                                "shortlisted": True, "target_group_org": True,
                                "note": "Tugev"})
    assert scored.status_code == 200, scored.get_json()
    assert scored.get_json()["total"] == 100.0 and scored.get_json()["partner"] == "tas"
    listed = client.get(url, headers=headers).get_json()
    assert [a["name"] for a in listed["applications"]] == ["Peeter Lepik", "Mari Tamm"]
    assert listed["applications"][0]["answers"] == {
        str(trip.questions[0].id): "Peeter Lepik tahab õppida."}
    assert listed["balance"]["partners"] == {"tas": {"seats": 1, "share": 1}}
    for bad in ({"scores": {str(first.id): 6}}, {"scores": {str(first.id): "5"}},
                {"scores": {str(first.id): False}},
                {"partner": "xyz"}, {"shortlisted": "yes"}, {"colour": "red"}):
        refused = client.patch(f"/api/v1/events/{trip.id}/applications/{mari.id}",
                               headers=headers, json=bad)
        assert refused.status_code == 422, bad
    assert client.put(url, headers=headers, json={"quotas": {"vpk": 3, "tas": 1}}) \
        .status_code == 422  # 4 shares for 3 seats
    assert client.put(url, headers=headers, json={"criteria": [{"name_et": ""}]}) \
        .status_code == 422
    client.patch(f"/api/v1/events/{trip.id}/applications/{mari.id}", headers=headers,
                 json={"scores": {str(first.id): 2, str(new_id): 1}})
    sent = client.post(f"{url}/decisions", headers=headers)
    assert sent.status_code == 200
    # Mari is on the reserve list, and gets at once a seat the chosen left free (VPK has room)
    assert sent.get_json() == {"event_id": trip.id, "offers": True, "chosen": [peeter.id],
                               "reserve": [mari.id], "from_reserve": [mari.id]}
    render_pending()  # Mari hears of her offer only, not of the reserve list first
    assert list(db.session.scalars(select(OutgoingEmail.kind).where(
        OutgoingEmail.registration_id == mari.id))) == ["offer_made"]
    again = client.post(f"{url}/decisions", headers=headers)
    assert again.status_code == 409  # nobody left to decide
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/events/{event_id}/applications/{registration_id}" in spec["paths"]


def test_the_applicant_sees_their_review_in_their_data_and_erasure_removes_it(
        client, login, make_user, make_registration, trip):
    mari = _apply(make_registration, trip, "Mari Tamm")
    login(make_user(Role.ORGANISER, "vpk"))
    _score(client, trip, mari, 4, 7, note="Räägib hästi eakate päevakeskusest")
    client.post("/logout")
    data = client.get(f"/r/{mari.manage_token}/data.json").get_json()
    assert data["selection"]["note"] == "Räägib hästi eakate päevakeskusest"
    assert {s["criterion"]: s["score"] for s in data["selection"]["scores"]} == {
        "Motivatsioon": 4, "Õpitu kasutamine": 7}
    client.post(f"/r/{mari.manage_token}/erase", data={"confirm": "y"})
    assert db.session.scalar(select(func.count(ApplicationReview.id))) == 0
    assert db.session.scalar(select(func.count(ApplicationScore.id))) == 0


def test_removing_a_criterion_asks_first_and_takes_its_scores(
        client, login, make_user, make_registration, trip):
    mari = _apply(make_registration, trip, "Mari Tamm")
    login(make_user(Role.ORGANISER, "vpk"))
    _score(client, trip, mari, 4, 7)
    first = _criteria(trip)[0]
    url = f"/admin/events/{trip.id}/selection/settings/criteria/{first.id}/delete"
    asked = _text(client.get(url))
    assert "Eemaldada kriteerium „Motivatsioon“?" in asked and "1 sellele antud hinne" in asked
    assert client.post(url).status_code == 302
    assert [c.name_et for c in _criteria(trip)] == ["Õpitu kasutamine"]
    assert db.session.scalars(select(ApplicationScore.score)).all() == [7]


def test_shares_hold_when_a_seat_holder_brings_a_companion_or_changes_partner(
        client, login, make_user, make_registration, trip):
    vpk, tas = organisation("vpk"), organisation("tas")
    login(make_user(Role.ORGANISER, "vpk"))
    client.post(f"/admin/events/{trip.id}/selection/settings/quotas",
                data={f"quota_{vpk.id}": "1", f"quota_{tas.id}": "1"})
    going = make_registration(trip, county="voru", name="Mari Tamm")  # VPK's one seat
    make_registration(trip, county="tartu")  # TAS's one seat
    bigger = client.post(f"/r/{going.manage_token}/edit", data={
        "name": "Mari Tamm", "email": going.email, "language": "et", "county": "voru",
        "companion": "y", "consent_privacy": "y"})
    assert bigger.status_code == 422 and "partnerorganisatsiooni kohad on täis" in _text(bigger)
    moved = _score(client, trip, going, 3, 3, partner_id=str(tas.id))
    assert moved.status_code == 422 and "Selle partneri kohad on täis" in _text(moved)
    db.session.expire_all()
    assert db.session.get(Registration, going.id).seats == 1
    assert db.session.scalar(select(func.count(ApplicationReview.id))) == 0


def test_criteria_changed_after_scoring_keep_the_ranking_honest(
        client, make_user, make_registration, trip):
    user = make_user(Role.ORGANISER, "vpk")
    token = create_api_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    mari = _apply(make_registration, trip, "Mari Tamm")
    jaan = _apply(make_registration, trip, "Jaan Kask")
    _give_scores(trip, user, {mari: 5, jaan: 4})
    first, second = _criteria(trip)
    url = f"/api/v1/events/{trip.id}/selection"
    lowered = client.put(url, headers=headers, json={"criteria": [
        {"id": first.id, "name_et": "Motivatsioon", "max_score": 3},
        {"id": second.id, "name_et": "Õpitu kasutamine"}]})
    assert lowered.status_code == 422  # 5 points given, 3 at most: refused
    kept = client.put(url, headers=headers, json={"criteria": [
        {"id": first.id, "name_et": "Motivatsioon"}, {"id": second.id, "name_et": "Kasutamine"},
        {"name_et": "Uus kriteerium"}]}).get_json()
    assert [c["max_score"] for c in kept["criteria"]] == [5, 10, 5]  # left out: as it was
    assert kept["applications"][0]["total"] is None  # not scored on the new one
    _shortlist(mari)  # Jaan would go on the reserve list, in an order no score gave
    refused = client.post(f"{url}/decisions", headers=headers)
    assert refused.status_code == 409
    assert "1 taotlus pole veel kõigi kriteeriumide järgi hinnatud" in " ".join(
        refused.get_json()["fields"]["decisions"])
    assert client.patch(f"/api/v1/events/{trip.id}/applications/{mari.id}", headers=headers,
                        json={"scores": {"²": 1}}).status_code == 422
