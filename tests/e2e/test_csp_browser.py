"""No Content-Security-Policy violation on the pages with the most script
(the entry page, the chart, a Bootstrap dropdown, the portal, the admin's
autocomplete), in headless Chromium with the real policy."""

import pytest

from tests.security.test_headers import points  # noqa: F401

# --- In a real browser ----------------------------------------------------------------------


LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_csp_violation_in_the_browser(points, page_at):  # noqa: F811
    from tests.factories import PASSWORD

    violations = []

    def visit(page, url, *, act=None):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if act:
            act(page)
            page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp || []")
        violations.extend(f"{url}: {v}" for v in found)

    def login(username):
        page = page_at(1024, 900)
        page.add_init_script(LISTEN)
        page.on("console", lambda m: violations.append(f"console: {m.text}") if "Content Security Policy" in m.text else None)
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#login-submit").click()
        page.wait_for_load_state("networkidle")
        return page

    anonymous = page_at(390, 800, mobile=True)
    anonymous.add_init_script(LISTEN)
    visit(anonymous, "/login/")

    def tap_and_record(page):
        page.locator(f'label[data-student="{points.child.pk}"]').click()
        page.locator("button.item-btn").first.click()
        page.wait_for_selector("[data-recorded]")

    head = login("head")
    visit(head, f"/conduct/class/{points.class1.pk}/", act=tap_and_record)  # htmx swap
    visit(head, f"/conduct/student/{points.child.pk}/")  # Chart.js
    head.wait_for_function("() => document.getElementById('trend-chart').width > 0")  # a function: no eval per poll
    visit(head, "/classes/", act=lambda p: p.locator("nav .dropdown-toggle").last.click())  # Bootstrap dropdown
    assert head.locator("nav .dropdown-menu.show").count() == 1  # Bootstrap's script ran

    parent = login(points.parent.username)
    visit(parent, f"/portal/child/{points.child.pk}/")

    admin_page = login("schooladmin")
    visit(admin_page, "/admin/")
    visit(admin_page, "/admin/students/guardianship/add/")  # autocomplete (select2, jQuery)
    visit(admin_page, "/admin/students/student/")

    assert not violations, "\n".join(violations)
    # The listener does hear a violation: an inline style attribute is refused.
    admin_page.evaluate("document.body.setAttribute('style', 'color: red')")
    admin_page.wait_for_function("() => window.__csp.length > 0")
    assert admin_page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
