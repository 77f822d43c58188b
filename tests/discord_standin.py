"""A stand-in Discord on loopback: REST routes and a gateway websocket, served by aiohttp.

Just enough of Discord for the real discord.py client to log in, IDENTIFY, receive READY and
GUILD_CREATE, heartbeat, receive slash-command interactions and answer them (callback and
follow-up webhook). It runs in its own thread and event loop, so its timing does not depend
on the bot's loop, and it records what the bot sent: IDENTIFY, heartbeats, REST calls.

Details the real client depends on: JSON is parsed only with Content-Type exactly
`application/json`; a 429 without a `Via` header is taken for a Cloudflare ban.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "standin.bot.token"
BOT_ID = 900_000_000_000_000_001
APP_ID = 900_000_000_000_000_002
GUILD_ID = 900_000_000_000_000_010
CHANNEL_ID = 900_000_000_000_000_011
USER_ID = 900_000_000_000_000_020


@dataclass
class Call:
    method: str
    path: str
    status: int
    body: Any
    at: float


@dataclass
class StandIn:
    heartbeat_ms: int = 200
    base: str = ""
    gateway: str = ""
    identify: dict[str, Any] | None = None
    heartbeats: list[float] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    # path prefix -> retry_after of each 429 still to give on that route (a storm: several)
    rate_limits: dict[str, list[float]] = field(default_factory=dict)
    asked_at: dict[str, float] = field(default_factory=dict)  # interaction token -> sent
    ready: threading.Event = field(default_factory=threading.Event)
    sessions: int = 0
    resumes: int = 0
    connections: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(910_000_000_000_000_000))
    _ws: Any = None
    _seq: Any = field(default_factory=lambda: itertools.count(1))
    loop: asyncio.AbstractEventLoop | None = None

    # -- what tests do ---------------------------------------------------------------------
    def ask(self, question: str, user_id: int = USER_ID) -> str:
        """Send a /ask interaction to the bot; returns its token, to find the reply."""
        interaction_id = next(self._ids)
        token = f"itoken-{interaction_id}"
        payload = _interaction(interaction_id, token, "ask", {"question": question}, user_id)
        self.asked_at[token] = time.monotonic()
        self._from_other_thread(self._dispatch("INTERACTION_CREATE", payload))
        return token

    def answers(self, token: str) -> list[dict[str, Any]]:
        """Messages the bot sent for an interaction (follow-ups), in order."""
        return [
            c.body
            for c in self.calls
            if c.method == "POST"
            and c.path.startswith(f"/webhooks/{APP_ID}/{token}")
            and c.status == 200
        ]

    def drop_connection(self) -> None:
        self._from_other_thread(self._ws.close(code=4000, message=b"stand-in drop"))

    def _from_other_thread(self, coro: Any) -> None:
        assert self.loop is not None
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    # -- REST ------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/gateway", self._gateway)
        return app

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await request.json() if request.can_read_body else None
        status, reply = self._route(request, path, body)
        self.calls.append(Call(request.method, path, status, body, time.monotonic()))
        headers = {"Content-Type": "application/json", "Via": "1.1 google"}
        if status == 204:
            return web.Response(status=204, headers={"Via": "1.1 google"})
        return web.Response(status=status, body=json.dumps(reply).encode(), headers=headers)

    def _route(self, request: web.Request, path: str, body: Any) -> tuple[int, Any]:
        if request.headers.get("Authorization", "").startswith("Bot ") and (
            request.headers["Authorization"] != f"Bot {TOKEN}"
        ):
            return 401, {"message": "401: Unauthorized", "code": 0}
        for prefix, pending in self.rate_limits.items():
            if path.startswith(prefix) and pending:
                retry_after = pending.pop(0)
                return 429, {
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": False,
                }
        if path == "/users/@me":
            return 200, _user(BOT_ID, "StandInBot", bot=True)
        if path == "/oauth2/applications/@me":
            return 200, {
                "id": str(APP_ID),
                "name": "StandInBot",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": _user(USER_ID, "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "summary": "",
            }
        if path == "/gateway/bot":
            return 200, {
                "url": self.gateway,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        if path.startswith("/interactions/") and path.endswith("/callback"):
            interaction_id = path.split("/")[2]
            return 200, {
                "interaction": {
                    "id": interaction_id,
                    "type": 2,
                    "response_message_loading": body.get("type") == 5,
                    "response_message_ephemeral": False,
                }
            }
        if path.startswith(f"/webhooks/{APP_ID}/") and request.method in {"POST", "PATCH"}:
            return 200, self._message(body or {})
        if path.startswith("/channels/") and request.method == "POST":
            return 200, self._message(body or {})
        return 404, {"message": f"stand-in has no route {request.method} {path}", "code": 0}

    def _message(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(next(self._ids)),
            "channel_id": str(CHANNEL_ID),
            "author": _user(BOT_ID, "StandInBot", bot=True),
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "timestamp": "2026-01-07T12:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }

    # -- gateway ---------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self.connections += 1
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                self.heartbeats.append(time.monotonic())
                await ws.send_str(json.dumps({"op": 11}))
            elif data["op"] == 2:  # IDENTIFY
                self.identify = data["d"]
                self.sessions += 1
                await self._dispatch("READY", self._ready())
                await self._dispatch("GUILD_CREATE", _guild())
                self.ready.set()
            elif data["op"] == 6:  # RESUME after a dropped connection
                self.resumes += 1
                await self._dispatch("RESUMED", {})
        return ws

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": _user(BOT_ID, "StandInBot", bot=True),
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": "standin-session",
            "resume_gateway_url": self.gateway,
            "shard": [0, 1],
            "application": {"id": str(APP_ID), "flags": 0},
        }


def _user(user_id: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
    }


def _guild() -> dict[str, Any]:
    everyone = {
        "id": str(GUILD_ID),
        "name": "@everyone",
        "permissions": "2248473465835073",
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(GUILD_ID),
        "name": "Stand-in Guild",
        "icon": None,
        "owner_id": str(USER_ID),
        "roles": [everyone],
        "channels": [
            {
                "id": str(CHANNEL_ID),
                "type": 0,
                "name": "news",
                "position": 0,
                "permission_overwrites": [],
            }
        ],
        "members": [
            {
                "user": _user(BOT_ID, "StandInBot", bot=True),
                "roles": [],
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        ],
        "threads": [],
        "emojis": [],
        "stickers": [],
        "features": [],
        "member_count": 2,
        "large": False,
        "unavailable": False,
        "voice_states": [],
        "presences": [],
    }


def _interaction(
    interaction_id: int, token: str, name: str, options: dict[str, str], user_id: int
) -> dict[str, Any]:
    return {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": 2,
        "token": token,
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL_ID),
        "channel": {"id": str(CHANNEL_ID), "type": 0, "name": "news", "guild_id": str(GUILD_ID)},
        "member": {
            "user": _user(user_id, f"user{user_id % 1000}"),
            "roles": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "permissions": "2248473465835073",
            "flags": 0,
        },
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10_485_760,
        "data": {
            "id": "920000000000000001",
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
        },
    }


class StandInServer:
    """Runs a StandIn in a background thread; use as a context manager."""

    def __init__(self, heartbeat_ms: int = 200) -> None:
        self.standin = StandIn(heartbeat_ms=heartbeat_ms)
        self._thread = threading.Thread(target=self._run, daemon=True, name="discord-standin")
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self.standin.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        runner = web.AppRunner(self.standin.app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.standin.base = f"http://127.0.0.1:{port}/api/v10"
        self.standin.gateway = f"ws://127.0.0.1:{port}/gateway"
        self._started.set()
        await self._stop.wait()
        await runner.cleanup()

    def __enter__(self) -> StandIn:
        self._thread.start()
        self._started.wait(10)
        return self.standin

    def __exit__(self, *exc: object) -> None:
        assert self.standin.loop is not None and self._stop is not None
        self.standin.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
