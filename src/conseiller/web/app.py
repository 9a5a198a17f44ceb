"""The aiohttp application of `conseiller web`: routes, page building, guards and headers."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse
from markupsafe import Markup, escape

from conseiller import report, strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.describe import answer_label
from conseiller.engine import AnswerError, State, View
from conseiller.glossary import explain, segments
from conseiller.http_guard import HostGuard
from conseiller.recommend import ContactPick
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, MessageNode, TextNode
from conseiller.territory import TerritoryError
from conseiller.typography import french, label_list
from conseiller.web.token import Sealer, TokenError, data_to_state, state_to_data

HERE = Path(__file__).parent
#: The longest free text accepted (as in the terminal).
MAX_TEXT = 2000
#: The largest request body accepted.
MAX_BODY = 16 * 1024
STATIC = {"conseiller.css": "text/css"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
ACCESS = logging.getLogger("conseiller.web.access")


class Typed(str):
    """What the person typed, put back in a field as typed (no typography applied)."""


def typeset(value: Any) -> Any:
    """Jinja2's `finalize`: every text a page shows in French typography (no-break spaces
    before ; : ! ? and inside « »), except what the person typed and ready-made markup."""
    if isinstance(value, str) and not isinstance(value, Typed | Markup):
        return french(value)
    return value


def glosser(doc: report.Document) -> Callable[[str], Markup]:
    """A filter for one page: the first use of each glossary term becomes an <abbr> whose
    title explains it (issue 13 §7); every piece of text is escaped."""
    explained: set[str] = set()

    def glossed(text: str) -> Markup:
        out = Markup()
        for piece, term in segments(french(text), doc.glossary, explained):
            if term is None:
                out += escape(piece)
            else:
                out += Markup('<abbr title="{}">{}</abbr>').format(explain(term), piece)
        return out

    return glossed


def contact_links(pick: ContactPick) -> list[tuple[str, Markup, Markup]]:
    """(label, value, href) of the phone and email a contact's file gives: a number to tap
    and an address to write to (value and href escaped, kept out of French typography)."""
    links: list[tuple[str, Markup, Markup]] = []
    for label, value in report.contact_details(pick):
        if label == strings.REP_PHONE:
            href = "tel:" + re.sub(r"[^0-9+]", "", value)
        else:
            href = "mailto:" + value.strip()
        links.append((label, escape(value), escape(href)))
    return links


@dataclass(frozen=True)
class Settings:
    """What `conseiller web` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()


class AccessLogger(AbstractAccessLogger):
    """Method, path, status and time: no query string (the token), no body, no address."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %.1fms", request.method, request.rel_url.path, response.status, time * 1000
        )

    @property
    def enabled(self) -> bool:
        """Log only when someone listens."""
        return self.logger.isEnabledFor(logging.INFO)


def _said_since_last_answer(view: View) -> list[str]:
    """The advisor's messages between the last answer and this question (a greeting…)."""
    said: list[str] = []
    for turn in view.transcript:
        if isinstance(turn.node, MessageNode):
            said.append(turn.node.text)
        elif turn.answer is not None:
            said = []
    return said


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


class WebFront:
    """Every page of the web front, built from one Conversation (which holds no state)."""

    def __init__(
        self,
        catalog: Catalog,
        secret: bytes,
        settings: Settings | None = None,
        conversation: Conversation | None = None,
    ) -> None:
        self.catalog = catalog
        self.conversation = conversation or Conversation(catalog)
        self.sealer = Sealer(secret)
        self.settings = settings or Settings()
        self.port = self.settings.port
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            finalize=typeset,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(s=strings, max_text=MAX_TEXT)
        self.static = {name: (HERE / "static" / name).read_bytes() for name in STATIC}

    # --- tokens ----------------------------------------------------------------------

    def token(self, state: State) -> str:
        """The URL token of a state (ids only, sealed)."""
        return self.sealer.seal(state_to_data(self.conversation.flow, state))

    def state(self, token: str | None) -> State:
        """The state of a token; a new conversation without one; 400 if it is bad."""
        if not token:
            return self.conversation.start()
        try:
            state = data_to_state(self.catalog, self.sealer.open(token))
            if state.flow != self.conversation.flow.id:
                raise TokenError("flow")
            self.conversation.view(state)  # a state the flow cannot walk is refused too
        except (TokenError, AnswerError, RuntimeError):
            raise web.HTTPBadRequest(
                text=self.page(
                    "error.html", title=strings.WEB_BAD_LINK_TITLE, message=strings.WEB_BAD_LINK
                ),
                content_type="text/html",
            ) from None
        return state

    def url(self, path: str, state: State) -> str:
        """A relative URL with the state's token: right behind any proxy at the root."""
        return f"{path}?{urlencode({'t': self.token(state)})}"

    def next_url(self, state: State) -> str:
        """Where a state is shown: its question, or the results."""
        finished = isinstance(self.conversation.view(state).current, EndNode)
        return self.url("/resultats" if finished else "/q", state)

    # --- pages -----------------------------------------------------------------------

    def page(self, template: str, **values: Any) -> str:
        """A page from its template (every value escaped by Jinja2)."""
        values.setdefault("help_lines", [])
        values.setdefault("urgence", self.catalog.about.urgence)
        return self.env.get_template(template).render(**values)

    def close_departements(self, typed: str) -> list[tuple[str, str]]:
        """(code, « Creuse (23) ») of the départements close to a name not understood: one
        tap on a phone instead of typing again (« Vouliez-vous dire … ? »)."""
        try:
            self.catalog.territories.resolve(typed)
        except TerritoryError as exc:
            return [(d.code, f"{d.name} ({d.code})") for d in exc.suggestions]
        return []

    def help_lines(self, view: View) -> list[Any]:
        """The help lines, those that fit what was written first; none unless the net fired."""
        return self.catalog.about.urgence.lines_for(view.alerts) if view.alerts else []

    def question_page(
        self,
        state: State,
        *,
        error: str = "",
        typed: str | None = None,
        checked: list[str] | None = None,
        chosen: str | None = None,
    ) -> str:
        """One question, in a form."""
        view = self.conversation.view(state)
        node = view.current
        assert not isinstance(node, EndNode)
        values: dict[str, Any] = {
            "title": (strings.WEB_ERROR_PREFIX if error else "") + view.question,
            "node": node,
            "question": view.question,
            "question_help": view.question_help,
            "error": error,
            "token": self.token(state),
            "progress": strings.UI_PROGRESS.format(n=view.number, total=view.total),
            "help_lines": self.help_lines(view),
            "keep": False,
            "not_kept": False,
            "messages": _said_since_last_answer(view),
            "suggestions": [],
        }
        if isinstance(node, ChoiceNode):
            current = (
                chosen
                if chosen is not None
                else (view.prefill.value if view.prefill and not view.prefill.skipped else None)
            )
            values.update(
                kind="choice",
                options=[
                    {"id": o.id, "label": o.label, "checked": o.id == current} for o in node.options
                ],
            )
        elif isinstance(node, TextNode):
            value = typed
            if value is None and view.prefill is not None and node.match == "departement":
                dept = self.catalog.territories.departements.get(str(view.prefill.value))
                value = dept.name if dept is not None else ""
            answered = (
                view.prefill is not None
                and not view.prefill.skipped
                and node.match != "departement"
            )
            values.update(
                kind="text",
                value=Typed(value or ""),
                multiline=node.match != "departement",
                keep=answered and node.match == "needs",
                not_kept=answered,
                suggestions=self.close_departements(typed) if error and typed else [],
            )
        else:
            values.update(kind="confirm", **self._confirm(view, checked))
        return self.page("question.html", **values)

    def _confirm(self, view: View, checked: list[str] | None) -> dict[str, Any]:
        needs = self.catalog.needs
        candidates = [c.need for c in view.candidates if c.need in needs]
        if checked is None:
            if view.prefill is not None and isinstance(view.prefill.value, list):
                checked = list(view.prefill.value)
            elif view.unsure and len(candidates) >= 2:
                checked = [c.need for c in view.candidates[2:] if c.likely]
            else:
                checked = [c.need for c in view.candidates if c.likely]
        if view.unsure and len(candidates) >= 2 and view.prefill is None:
            prompt = strings.UI_UNSURE.format(
                a=needs[candidates[0]].label, b=needs[candidates[1]].label
            )
        elif checked:
            prompt = strings.UI_UNDERSTOOD.format(
                needs=label_list(
                    [needs[n].label for n in checked if n in needs], first_in_sentence=True
                )
            )
        else:
            prompt = strings.UI_CHOOSE_NEEDS if view.words_not_read else strings.UI_UNDERSTOOD_NONE
        shown = list(dict.fromkeys([*candidates, *(n for n in checked if n in needs)]))
        if not shown:
            shown, more = list(needs), []
        else:
            more = [n for n in needs if n not in shown]

        def box(need: str) -> dict[str, Any]:
            return {"id": need, "label": needs[need].label, "checked": need in checked}

        return {
            "prompt": prompt,
            "boxes": [box(n) for n in shown],
            "more": [box(n) for n in more],
            # "That's right" only when something was understood; else the person chooses.
            "confirm_label": strings.UI_CONFIRM if checked else strings.UI_CONFIRM_CHOICE,
        }

    def outcome_parts(self, state: State) -> tuple[report.Document, list[dict[str, str]], View]:
        """The take-away document and the answers with their "Modifier" links."""
        conv = self.conversation
        view = conv.view(state)
        outcome = conv.outcome(state)
        rows: list[dict[str, str]] = []
        for turn in view.transcript:
            if turn.answer is None or isinstance(turn.node, MessageNode):
                continue
            label = answer_label(self.catalog, turn.node, turn.answer) or strings.WEB_NOT_KEPT
            rows.append(
                {
                    "question": turn.question,
                    "answer": label,
                    "edit": self.url("/q", conv.edit(state, turn.node.id)),
                }
            )
        doc = report.build(
            self.catalog,
            outcome.recommendation,
            [(r["question"], r["answer"]) for r in rows],
            dt.datetime.now(),
        )
        return doc, rows, view

    # --- handlers --------------------------------------------------------------------

    def html(self, text: str, status: int = 200) -> web.Response:
        """An HTML response."""
        return web.Response(text=text, status=status, content_type="text/html")

    async def welcome(self, request: web.Request) -> web.Response:
        """The first page: what this is, what is kept, "Commencer"."""
        return self.html(
            self.page(
                "welcome.html",
                title=strings.UI_WELCOME_TITLE,
                paragraphs=_paragraphs(strings.UI_WELCOME_TEXT),
            )
        )

    async def show_question(self, request: web.Request) -> web.Response:
        """GET /q?t=…: the current question (or the results once finished)."""
        state = self.state(request.query.get("t"))
        if isinstance(self.conversation.view(state).current, EndNode):
            raise web.HTTPSeeOther(self.url("/resultats", state))
        return self.html(self.question_page(state))

    async def post_answer(self, request: web.Request) -> web.Response:
        """POST /q: an answer, "Je ne sais pas", "Retour"; then redirect (post-redirect-get)."""
        form = await request.post()
        state = self.state(str(form.get("t", "")))
        conv = self.conversation
        view = conv.view(state)
        if isinstance(view.current, EndNode):
            raise web.HTTPSeeOther(self.url("/resultats", state))
        action = str(form.get("action", "repondre"))
        if action not in ("repondre", "passer", "retour", "garder"):
            raise web.HTTPSeeOther(self.url("/q", state))
        if action == "retour":
            try:
                raise web.HTTPSeeOther(self.url("/q", conv.back(state)))
            except AnswerError:
                raise web.HTTPSeeOther("/") from None
        node = view.current
        given: str | list[str] | None = None
        typed: str | None = None
        checked: list[str] | None = None
        if action == "garder":
            # Back on a needs text whose words were not kept: go on with the needs already
            # understood (the answer stays as it is; only the question asked again closes).
            if view.prefill is None:
                raise web.HTTPSeeOther(self.url("/q", state))
            raise web.HTTPSeeOther(self.next_url(state.model_copy(update={"cursor": None})))
        if action == "repondre":
            if isinstance(node, ConfirmNode):
                checked = [str(v) for v in form.getall("besoin", [])]
                given = checked
            else:
                answer = form.get("reponse")
                picked = form.get("departement-propose")  # a button of close départements
                if isinstance(picked, str) and picked and isinstance(node, TextNode):
                    answer = picked if node.match == "departement" else answer
                typed = str(answer) if isinstance(answer, str) else ""
                if isinstance(node, ChoiceNode) and not typed:
                    return self.html(self.question_page(state, error=strings.WEB_CHOOSE_ONE))
                if isinstance(node, TextNode) and not typed.strip():
                    return self.html(self.question_page(state, error=strings.UI_EMPTY_OR_SKIP))
                if len(typed) > MAX_TEXT:
                    return self.html(
                        self.question_page(
                            state, error=strings.WEB_TOO_LONG.format(n=MAX_TEXT), typed=typed
                        )
                    )
                given = typed
        try:
            new = conv.answer(state, given)
        except AnswerError as exc:
            return self.html(
                self.question_page(
                    state,
                    error=str(exc),
                    typed=typed if isinstance(node, TextNode) else None,
                    checked=checked,
                    chosen=None,
                )
            )
        raise web.HTTPSeeOther(self.next_url(new))

    async def results(self, request: web.Request) -> web.Response:
        """GET /resultats?t=…: the recommendations, grouped, each with its "Pourquoi ?"."""
        token = request.query.get("t")
        state = self.state(token)
        doc, rows, view = self.outcome_parts(state)
        if not isinstance(view.current, EndNode):
            raise web.HTTPSeeOther(self.url("/q", state))
        return self.html(
            self.page(
                "results.html",
                title=strings.UI_RESULTS_TITLE,
                doc=doc,
                rows=rows,
                end_text=view.current.text,
                help_lines=self.help_lines(view),
                checked_line=report.checked_line,
                contact_links=contact_links,
                own_site=report.own_site,
                glossed=glosser(doc),
                scope=strings.REP_SCOPE,
                download="/telecharger.txt?" + urlencode({"t": token or ""}),
            )
        )

    async def download(self, request: web.Request) -> web.Response:
        """GET /telecharger.txt?t=…: the take-away as plain text, which every phone opens (a
        Markdown file is often refused there), saying the words were not kept."""
        state = self.state(request.query.get("t"))
        doc, _, view = self.outcome_parts(state)
        if not isinstance(view.current, EndNode):
            raise web.HTTPSeeOther(self.url("/q", state))
        text = report.render_text(doc).replace(
            f"\n{doc.date}\n", f"\n{doc.date}\n\n{french(strings.WEB_MD_WORDS)}\n", 1
        )
        name = report.file_stem(dt.datetime.now()) + ".txt"
        return web.Response(
            text=text,
            content_type="text/plain",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def finish(self, request: web.Request) -> web.Response:
        """GET /terminer: nothing is kept here; how to clear a shared computer's history."""
        return self.html(self.page("finish.html", title=strings.WEB_FINISH_TITLE))

    async def static_file(self, request: web.Request) -> web.Response:
        """Our stylesheet (no listing, nothing else)."""
        name = request.match_info["name"]
        if name not in self.static:
            raise web.HTTPNotFound()
        return web.Response(body=self.static[name], content_type=STATIC[name], charset="utf-8")

    # --- guards ----------------------------------------------------------------------

    @property
    def hosts(self) -> HostGuard:
        """Which requests are ours (on the port actually bound)."""
        return HostGuard(
            self.settings.host,
            self.port,
            self.settings.public_url,
            tuple(self.settings.trusted_proxies),
        )

    def host_ok(self, request: web.Request) -> bool:
        """The Host (or a trusted proxy's X-Forwarded-Host) and any Origin are ours.

        `Origin: null` is accepted: a form sent under `Referrer-Policy: no-referrer` has
        no origin to tell.
        """
        return self.hosts.resolve(request.headers, request.remote, null_origin=True) is not None

    def error_response(self, status: int, title: str, message: str) -> web.Response:
        """A French error page."""
        return self.html(self.page("error.html", title=title, message=message), status)

    @web.middleware
    async def guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Every request: allowed host, bounded body, French errors, security headers."""
        try:
            if not self.host_ok(request):
                response: web.StreamResponse = self.error_response(
                    403, strings.WEB_NOT_FOUND_TITLE, strings.SERVE_FORBIDDEN
                )
            elif (request.content_length or 0) > MAX_BODY:
                response = self.error_response(
                    413, strings.WEB_TOO_LARGE_TITLE, strings.WEB_TOO_LARGE.format(n=MAX_TEXT)
                )
            else:
                response = await handler(request)
        except web.HTTPRequestEntityTooLarge:
            response = self.error_response(
                413, strings.WEB_TOO_LARGE_TITLE, strings.WEB_TOO_LARGE.format(n=MAX_TEXT)
            )
        except web.HTTPNotFound:
            response = self.error_response(404, strings.WEB_NOT_FOUND_TITLE, strings.WEB_NOT_FOUND)
        except web.HTTPMethodNotAllowed:
            response = self.error_response(405, strings.WEB_NOT_FOUND_TITLE, strings.WEB_NOT_FOUND)
        except web.HTTPException as exc:
            response = exc
        response.headers.update(HEADERS)
        if isinstance(response, web.HTTPException):
            raise response
        return response

    def application(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application(middlewares=[self.guard], client_max_size=MAX_BODY)
        app.add_routes(
            [
                web.get("/", self.welcome),
                web.get("/q", self.show_question),
                web.post("/q", self.post_answer),
                web.get("/resultats", self.results),
                web.get("/telecharger.txt", self.download),
                web.get("/telecharger.md", self.download),  # the address of earlier versions
                web.get("/terminer", self.finish),
                web.get("/static/{name}", self.static_file),
            ]
        )
        return app
