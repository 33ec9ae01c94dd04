"""`tandem support`: the handoff queue (tickets, claim, reply, close), analytics, widget keys
and a chat from the terminal."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from tandem.cli.http import KeyOpt, ServerOpt, checked, connect
from tandem.cli.ids import WideOpt, id_column, pick, shorten
from tandem.cli.knowledge import resolve

support_app = typer.Typer(help="The support assistant's queue and widget.", no_args_is_help=True)
console = Console()
AgentOpt = Annotated[str | None, typer.Option(help="Your name as agent (default: your key).")]
TicketArg = Annotated[str, typer.Argument(help="The ticket's id, or a unique start of it.")]
TICKET_ID_LENGTH = len("tkt_") + 24


def ticket_id(client: httpx.Client, ticket: str) -> str:
    """A ticket's whole id from a unique start of it (the tenant's tickets, every status)."""
    if ticket.startswith("tkt_") and len(ticket) >= TICKET_ID_LENGTH:
        return ticket
    listed = checked(client.get("/v1/support/tickets", params={"limit": 1000}))["data"]
    return pick(ticket, [t["id"] for t in listed], "ticket") or ticket


def _ticket_table(tickets: list[dict[str, Any]], wide: bool = True) -> Table:
    ids = shorten([t["id"] for t in tickets], wide)
    grid = Table(id_column(ids.values()), "status", "reason", "agent", "opened", "subject")
    for t in tickets:
        grid.add_row(
            ids[t["id"]],
            t["status"],
            t["reason"],
            t["agent"] or "",
            t["created_at"][:19],
            t["subject"][:60],
        )
    return grid


@support_app.command("tickets")
def tickets(
    status: Annotated[str | None, typer.Option(help="open, claimed, closed or all.")] = "open",
    kb: Annotated[str | None, typer.Option(help="Only this knowledge base.")] = None,
    wide: WideOpt = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """The handoff queue, oldest first (ids shortened unless --wide; a unique start of one
    names the ticket to `show`, `claim`, `reply` and `close`)."""
    with connect(server, api_key) as client:
        params = {"status": status} if status and status != "all" else {}
        if kb:
            params["knowledge_base"] = resolve(client, kb)
        data = checked(client.get("/v1/support/tickets", params=params))["data"]
    console.print(_ticket_table(data, wide))


@support_app.command("show")
def show(
    ticket: TicketArg, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None
) -> None:
    """A ticket and its conversation."""
    with connect(server, api_key) as client:
        data = checked(client.get(f"/v1/support/tickets/{ticket_id(client, ticket)}"))
    console.print(_ticket_table([data]))
    for m in data["transcript"]:
        who = m["author"] or m["role"]
        console.print(f"[bold]{who}[/]: {m['content']}")


def _act(ticket: str, action: str, body: dict[str, Any], server: str, key: str | None) -> None:
    with connect(server, key) as client:
        ticket = ticket_id(client, ticket)
        data = checked(client.post(f"/v1/support/tickets/{ticket}/{action}", json=body))
    console.print(f"{ticket}: {data.get('status', 'sent')}")


@support_app.command("claim")
def claim(
    ticket: TicketArg,
    agent: AgentOpt = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Take a ticket."""
    _act(ticket, "claim", {"agent": agent} if agent else {}, server, api_key)


@support_app.command("reply")
def reply(
    ticket: TicketArg,
    text: str,
    agent: AgentOpt = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Answer the customer (the message appears in their conversation)."""
    body = {"text": text, **({"agent": agent} if agent else {})}
    _act(ticket, "reply", body, server, api_key)


@support_app.command("close")
def close(
    ticket: TicketArg,
    agent: AgentOpt = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Close a ticket; the assistant takes the conversation back."""
    _act(ticket, "close", {"agent": agent} if agent else {}, server, api_key)


@support_app.command("analytics")
def analytics(kb: str, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None) -> None:
    """Questions, handoff rate, feedback and top unanswered questions."""
    with connect(server, api_key) as client:
        params = {"knowledge_base": resolve(client, kb)}
        data = checked(client.get("/v1/support/analytics", params=params))
    console.print(
        f"{data['questions']} questions, {data['answered']} answered, {data['handoffs']} "
        f"handed off ({data['handoff_rate']:.0%})"
    )
    summary = Table("measure", "count", title="Knowledge base")
    for name, value in [
        ("questions", data["questions"]),
        ("answered", data["answered"]),
        ("handed off", data["handoffs"]),
        *((f"tickets {k}", v) for k, v in data["tickets"].items()),
        ("feedback up", data["feedback"]["up"]),
        ("feedback down", data["feedback"]["down"]),
    ]:
        summary.add_row(name, str(value))
    console.print(summary)
    if data["handoff_reasons"]:
        reasons = Table("handoff reason", "count", "share")
        for reason, count in sorted(data["handoff_reasons"].items(), key=lambda kv: -kv[1]):
            reasons.add_row(reason, str(count), f"{count / max(data['handoffs'], 1):.0%}")
        console.print(reasons)
    grid = Table("count", "top unanswered question")
    for q in data["top_unanswered"]:
        grid.add_row(str(q["count"]), q["question"])
    console.print(grid)


@support_app.command("widget-key")
def widget_key(
    kb: str,
    origins: Annotated[
        list[str], typer.Argument(help="Allowed origins, e.g. https://shop.example.com")
    ],
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """A publishable key for the widget, and the snippet to paste into your pages."""
    with connect(server, api_key) as client:
        body = {"knowledge_base": resolve(client, kb), "allowed_origins": origins}
        data = checked(client.post("/v1/support/widget-keys", json=body))
    console.print(f"widget key {data['id']} for {', '.join(data['allowed_origins'])}")
    console.print(
        f'<script src="{server.rstrip("/")}/widget.js" data-key="{data["key"]}" async></script>',
        markup=False,
        soft_wrap=True,
    )


def _agent_replies(client: httpx.Client, conversation: str) -> None:
    """Print what people wrote in the conversation since the customer last did."""
    data = checked(client.get(f"/v1/support/conversations/{conversation}"))
    messages = data["messages"]
    last_user = max((m["seq"] for m in messages if m["role"] == "user"), default=0)
    for m in messages:
        if m["role"] == "agent" and m["seq"] > last_user:
            console.print(f"[bold cyan]{m['author'] or 'agent'}[/]: ", end="")
            console.print(m["content"], markup=False)


@support_app.command("chat")
def chat(
    kb: str,
    message: str,
    conversation: Annotated[str | None, typer.Option(help="Continue a conversation.")] = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Ask the assistant as a customer would; continuing a conversation first shows what
    the support team replied since your last message."""
    with connect(server, api_key) as client:
        body: dict[str, Any] = {
            "knowledge_base": resolve(client, kb),
            "messages": [{"role": "user", "content": message}],
        }
        if conversation:
            _agent_replies(client, conversation)
            body["conversation_id"] = conversation
        data = checked(client.post("/v1/support/chat", json=body))
    console.print(data["answer"], markup=False)
    for c in data["citations"]:
        console.print(f"[dim][{c['index']}] {c['document']} - {c['title']}[/]")
    if data["handoff"]:
        console.print(
            f"[yellow]handed off ({data['handoff_reason']}), ticket {data['ticket_id']}[/]"
        )
    console.print(f"[dim]conversation {data['conversation_id']}[/]")
