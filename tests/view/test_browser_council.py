"""End-to-end: students in their own browser contexts join the teacher's class session by code,
take Council seats and vote; a student's veto blocks the draft in the teacher's run."""

from __future__ import annotations

import pytest

from sim.view.lessons import BY_KEY

VETO = BY_KEY["veto"]


@pytest.fixture(scope="module")
def pages(server, chromium):
    url, _ = server
    contexts = [chromium.new_context(viewport={"width": 1366, "height": 768}) for _ in range(3)]
    tabs = [context.new_page() for context in contexts]
    for tab in tabs:
        tab.set_default_timeout(30_000)
    yield url, tabs
    for context in contexts:
        context.close()


def test_students_vote_and_a_veto_blocks_the_draft(pages, server, artifacts):
    url, (teacher, china, france) = pages
    teacher.goto(f"{url}?lesson=veto")
    teacher.get_by_text("Week 0 of").wait_for(timeout=90_000)
    teacher.get_by_role("button", name="Open a class session").click()
    code = teacher.locator(".r2p-class-code").inner_text().strip()
    assert len(code) == 5

    for student, name, seat in ((china, "Ana", "China"), (france, "Ben", "France")):
        student.goto(f"{url}?join={code.lower()}")
        student.get_by_label("Your name").fill(name)
        student.get_by_role("button", name=f"Sit for {seat}").click()
        student.locator(".r2p-seat").filter(has_text=seat).wait_for()
    seats = teacher.locator("table.r2p-class-seats")
    seats.filter(has_text="Ana").filter(has_text="Ben").wait_for()
    teacher.screenshot(path=str(artifacts / "council-teacher-seats.png"), full_page=True)
    assert teacher.get_by_role("button", name="Step", exact=True).is_disabled(), "Play runs a class"

    teacher.get_by_role("button", name="fast").click()
    teacher.get_by_role("button", name="Play", exact=True).click()
    china.locator(".r2p-ballot").wait_for(timeout=120_000)
    france.locator(".r2p-ballot").wait_for()
    assert "The model would vote" in china.locator(".r2p-ballot").inner_text()
    teacher.locator(".r2p-class-vote").wait_for()  # the teacher sees the vote under way
    china.screenshot(path=str(artifacts / "council-student-ballot.png"))
    teacher.screenshot(path=str(artifacts / "council-teacher-vote.png"))
    china.get_by_role("button", name="No (a veto)").click()
    france.get_by_role("button", name="Yes").click()

    last = teacher.locator(".r2p-class-last")
    last.wait_for()
    teacher.get_by_role("button", name="Pause", exact=True).click()
    assert "not adopted (China voting no: a veto)" in last.inner_text()
    log = teacher.locator("ul.r2p-log li").all_inner_texts()
    assert any("China" in line and ("veto" in line or "withdr" in line) for line in log), log[:5]
    china.locator(".r2p-waiting").wait_for()
    teacher.get_by_role("button", name="End the session").click()
    china.reload()
    china.get_by_text("is not an open class session").wait_for()
    _, server_log = server
    assert "Traceback" not in server_log.read_text()
