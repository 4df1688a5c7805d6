"""Helpers for the browser tests: axe-core, keyboard navigation, logging in."""

import time

import pytest

from .axe_report import RECORDER

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_SOURCE = None


def _axe_source() -> str:
    """axe-core as shipped inside axe-playwright-python (MPL-2.0), read once."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        from axe_playwright_python.base import AXE_FILE_PATH

        _AXE_SOURCE = AXE_FILE_PATH.read_text(encoding="utf-8")
    return _AXE_SOURCE


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['id']}] impact={v.get('impact')}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    - {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def axe_result(page, *, include=None, exclude=None) -> dict:
    """Run axe-core on the current page; return its whole result (``passes``,
    ``violations``, ``incomplete``, ``testEngine``…) for WCAG 2.0/2.1 A and AA.
    A whole-page check is recorded for the accessibility report (axe_report)."""
    # Injected through the DevTools protocol, so the page's own CSP
    # (script-src 'self') stays in force.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    context = {"include": include or [["html"]], "exclude": exclude or []}
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    result = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
    if include is None and exclude is None:
        RECORDER.record_axe(page, result)
    return result


def run_axe(page, *, include=None, exclude=None) -> list[dict]:
    """Run axe-core on the current page; return its WCAG 2.0/2.1 A and AA violations."""
    return axe_result(page, include=include, exclude=exclude)["violations"]


def axe_check_page(page, *, include=None, exclude=None) -> None:
    """Fail the test listing every violation (id, impact, help, target nodes)."""
    violations = run_axe(page, include=include, exclude=exclude)
    if violations:
        pytest.fail(
            f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}\n" + format_violations(violations),
            pytrace=False,
        )


def wider_than_viewport(page) -> list[str]:
    """Elements sticking out past the viewport's right edge (data tables excepted:
    WCAG 1.4.10 allows two-dimensional content to scroll)."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => !el.closest('table') && el.getClientRects().length
                    && el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    RECORDER.record_check(page, "reflow", found)
    return found


def page_scrolls_sideways(page) -> bool:
    """1.4.10 Reflow at the current width: does the whole page scroll sideways?"""
    scrolls = page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
    RECORDER.record_check(page, "reflow", [scrolls] if scrolls else [])
    return scrolls


def clipped_with_text_spacing(page) -> list[str]:
    """1.4.12 Text Spacing: apply the criterion's spacing (line-height 1.5,
    paragraph spacing 2em, letter 0.12em, word 0.16em) through the CSSOM (which
    the page's CSP allows) and return elements whose text is then cut off."""
    found = page.evaluate(
        """() => {
            for (const el of document.body.querySelectorAll('*')) {
                el.style.setProperty('line-height', '1.5', 'important');
                el.style.setProperty('letter-spacing', '0.12em', 'important');
                el.style.setProperty('word-spacing', '0.16em', 'important');
            }
            for (const p of document.querySelectorAll('p')) p.style.setProperty('margin-bottom', '2em', 'important');
            const cut = [];
            for (const el of document.body.querySelectorAll('*')) {
                if (el.closest('.visually-hidden, .skip-link') || !el.getClientRects().length) continue;
                const s = getComputedStyle(el);
                const hides = v => v === 'hidden' || v === 'clip';
                if ((hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
                    || (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
                    cut.push(el.outerHTML.slice(0, 120));
                }
            }
            return cut;
        }"""
    )
    RECORDER.record_check(page, "text_spacing", found)
    return found


# --- keyboard ---------------------------------------------------------------


def tab_to(page, locator, *, max_presses: int = 60, key: str = "Tab") -> None:
    """Press Tab until ``locator`` has focus; fail if the keyboard never reaches it."""
    handle = locator.element_handle()
    for _ in range(max_presses):
        if page.evaluate("el => document.activeElement === el", handle):
            RECORDER.record_check(page, "keyboard", [])
            return
        page.keyboard.press(key)
    pytest.fail(
        f"keyboard focus never reached {locator} after {max_presses}×{key}",
        pytrace=False,
    )


def focused(page) -> dict:
    """Describe document.activeElement (tag, id, name, type, text)."""
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(), id: e.id,"
        " name: e.getAttribute('name'), type: e.getAttribute('type'), text: (e.innerText || '').trim()}; }"
    )


# --- logging in through the real allauth pages ----------------------------


def log_in(page, base_url: str, *, email: str, password: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログインする").click()


def fresh_totp_code(secret: str) -> str:
    """A code that stays valid for a few more seconds (allauth's tolerance is 0)."""
    from tests.accounts.totp import PERIOD, totp_code

    if PERIOD - time.time() % PERIOD < 3:
        time.sleep(PERIOD - time.time() % PERIOD + 0.2)
    return totp_code(secret)
