"""``PiggyToolkit``: every registry tool as a LangChain ``StructuredTool``, filtered, scoped and approval-aware."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from langchain_core.tools import BaseTool, BaseToolkit, StructuredTool, ToolException
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, create_model

import piggy_agent_tools.tools as _registry
from piggy_agent_tools.errors import NotFoundError, PiggyError
from piggy_agent_tools.policy import (
    DEFAULT_POLICY,
    SCOPED_NOT_FOUND,
    ApprovalPolicy,
    Decision,
    Principal,
    Verdict,
    mask_secrets,
)

if TYPE_CHECKING:  # the clients (httpx, asyncio) load when a toolkit is built, not when this module is imported
    from piggy_agent_tools.client import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.tools._errors import tool_error_message, validation_message
from piggy_agent_tools.tools._present import compact, dump
from piggy_agent_tools.tools._spec import Risk, ToolSpec, run_async, run_sync

APPROVAL_DECISIONS = ["approve", "edit", "reject"]


class PiggyToolkit(BaseToolkit):
    """The Piggy loyalty tools for LangChain and LangGraph agents.

    Security note:
        These tools act on a real loyalty program: they can award and spend credits, redeem vouchers, move gift-card
        and prepaid money, and delete customers. Limit what an agent can do with ``read_only=True``, ``groups``,
        ``include`` / ``exclude``, and ``contact_uuid`` (customer-scoped: the agent can only touch that one contact).
        Every call is judged by one ``ApprovalPolicy`` (``policy=``, docs/policy.md): ``toolkit.decide(call)`` says
        run, decide or refuse, and why. Put a person in the loop for the calls it holds with
        ``HumanInTheLoopMiddleware(interrupt_on=toolkit.interrupt_on())`` or the approval node in
        ``piggy_agent_tools.hitl``; refused calls are refused by the tool itself.

    Setup:
        ``pip install piggy-agent-tools`` and set ``PIGGY_API_KEY`` (and ``PIGGY_BASE_URL`` for a sandbox).
        Offline: ``piggy-sandbox serve`` or ``Sandbox.start()`` gives a local Piggy with demo data.

    Instantiate:
        .. code-block:: python

            from piggy_agent_tools import PiggyToolkit
            toolkit = PiggyToolkit()                      # PIGGY_API_KEY from the environment
            toolkit = PiggyToolkit(client=PiggyClient(api_key=..., base_url=...), read_only=True)

    Tools:
        .. code-block:: python

            tools = toolkit.get_tools()                   # see docs/tools.md for every tool, risk and argument

    Use within an agent:
        .. code-block:: python

            from langchain.agents import create_agent
            from langchain.agents.middleware import HumanInTheLoopMiddleware
            agent = create_agent("openai:gpt-4.1-mini", toolkit.get_tools(),
                                 middleware=[HumanInTheLoopMiddleware(interrupt_on=toolkit.interrupt_on())])
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    _client: PiggyClient = PrivateAttr()
    _async_client: AsyncPiggyClient = PrivateAttr()
    _specs: list[ToolSpec] = PrivateAttr()
    _injected: dict[str, Any] = PrivateAttr()
    _contact_uuid: str | None = PrivateAttr()
    _tools: list[BaseTool] | None = PrivateAttr(default=None)
    _shop_resolved: bool = PrivateAttr(default=False)
    _policy: ApprovalPolicy = PrivateAttr(default=DEFAULT_POLICY)
    _read_only: bool = PrivateAttr(default=False)

    def __init__(
        self,
        client: PiggyClient | None = None,
        async_client: AsyncPiggyClient | None = None,
        *,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        groups: Iterable[str] | None = None,
        read_only: bool = False,
        default_shop_uuid: str | None = None,
        contact_uuid: str | None = None,
        policy: ApprovalPolicy | None = None,
    ) -> None:
        super().__init__()
        self._policy = policy or DEFAULT_POLICY
        self._read_only = read_only
        self._client, self._async_client = _pair(client, async_client)
        self._contact_uuid = contact_uuid
        self._specs = select_specs(
            _registry.REGISTRY,
            include=include,
            exclude=exclude,
            groups=groups,
            read_only=read_only,
            scoped=contact_uuid is not None,
            policy=self._policy,
        )
        self._injected = {}
        if contact_uuid is not None:
            self._injected["contact_uuid"] = contact_uuid
        if default_shop_uuid is not None:
            self._injected["shop_uuid"] = default_shop_uuid
        # No network here: the single-shop look-up runs once, on the first get_tools() or injected.
        self._shop_resolved = default_shop_uuid is not None

    @property
    def client(self) -> PiggyClient:
        return self._client

    @property
    def async_client(self) -> AsyncPiggyClient:
        return self._async_client

    @property
    def contact_uuid(self) -> str | None:
        """The contact a customer-scoped toolkit is bound to, or None for staff."""
        return self._contact_uuid

    @property
    def injected(self) -> dict[str, Any]:
        """Arguments the toolkit fills in itself (``contact_uuid`` when scoped, ``shop_uuid`` with a default shop)."""
        self._resolve_shop()
        return dict(self._injected)

    def _resolve_shop(self) -> None:
        """Look up the account's shops once, lazily: with exactly one, tools that need a shop use it unasked."""
        if self._shop_resolved:
            return
        self._shop_resolved = True
        shop = _only_shop(self._client, self._specs)
        if shop is not None:
            self._injected["shop_uuid"] = shop

    @property
    def specs(self) -> list[ToolSpec]:
        """The registry records behind ``get_tools()``, after filtering."""
        return list(self._specs)

    def spec(self, name: str) -> ToolSpec | None:
        return next((s for s in self._specs if s.name == name), None)

    def get_tools(self) -> list[BaseTool]:
        """The selected tools as ``StructuredTool`` objects (sync and real async)."""
        if self._tools is None:
            self._resolve_shop()
            self._tools = [self._build(spec) for spec in self._specs]
        return list(self._tools)

    @property
    def policy(self) -> ApprovalPolicy:
        """The approval policy every caller asks (``decide``); pass your own to tighten or loosen it."""
        return self._policy

    @property
    def principal(self) -> Principal:
        """Who this toolkit acts for: staff, or the one customer it is scoped to (``principal.label`` for UIs)."""
        return Principal(self._contact_uuid)

    def risk_of(self, tool_call: dict[str, Any]) -> Risk:
        """The risk of one concrete call ``{"name", "args"}``; unknown tools count as destructive."""
        spec = self.spec(str(tool_call.get("name")))
        if spec is None:
            return Risk.DESTRUCTIVE
        return spec.risk_of({**dict(tool_call.get("args") or {}), **self._injected})

    def decide(self, tool_call: dict[str, Any]) -> Decision:
        """What the approval policy says of one concrete call ``{"name", "args"}``: run, decide, or refuse."""
        spec = self.spec(str(tool_call.get("name")))
        if spec is None:
            return Decision(Verdict.REFUSE, f"there is no tool named {tool_call.get('name')!r} for this agent")
        return self._policy.decide(spec, {**dict(tool_call.get("args") or {}), **self._injected}, self.principal)

    def needs_decision(self, tool_call: dict[str, Any]) -> bool:
        """True when a person must decide on this call before it runs."""
        return self.decide(tool_call).verdict is Verdict.DECIDE

    def interrupt_on(self) -> dict[str, Any]:
        """The mapping for LangChain v1 ``HumanInTheLoopMiddleware(interrupt_on=...)``, from the approval policy.

        A tool every call of which needs a decision always interrupts; a tool where it depends on the arguments (an
        amount above the limit, a negative amount) interrupts through a ``when`` predicate asking ``decide``; tools
        that never need one are left out. Refused calls are refused by the tool itself.
        """
        mapping: dict[str, Any] = {}
        for spec in self._specs:
            verdicts = self._policy.verdicts(spec, self.principal)
            if Verdict.DECIDE not in verdicts:
                continue
            config: dict[str, Any] = {"allowed_decisions": list(APPROVAL_DECISIONS)}
            if verdicts != {Verdict.DECIDE}:
                config["when"] = _when_deciding(self, spec.name)
            mapping[spec.name] = config
        return mapping

    def _build(self, spec: ToolSpec) -> StructuredTool:
        injected = {k: v for k, v in self._injected.items() if k in spec.args.model_fields}
        removed = set(injected) | (set(spec.extra.get("scoped_remove", ())) if self._contact_uuid else set())
        schema = _without(spec.args, removed)
        sync_client, async_client, contact = self._client, self._async_client, self._contact_uuid
        accepted = tuple(name for name in spec.args.model_fields if name not in removed)
        call_id_field = spec.extra.get("call_id_field")
        call_id_prefix = str(spec.extra.get("call_id_prefix", spec.name.upper()))
        policy, principal = self._policy, self.principal
        masks = policy.masks_codes(spec, read_only=self._read_only)

        def refuse_by_policy(args: BaseModel) -> None:
            """Refusals hold at the tool itself, whatever runs it (create_agent, MCP, a bare invoke)."""
            decision = policy.decide(spec, args.model_dump(), principal)
            if decision.verdict is Verdict.REFUSE:
                raise ToolException(
                    f"Error in {spec.name}: refused by the approval policy: {decision.reason}. Nothing was done; "
                    "do not retry, tell the customer a staff member can help."
                )

        def failure(exc: PiggyError) -> ToolException:
            # A customer cannot tell "not yours" from "does not exist": both read the same.
            if contact is not None and isinstance(exc, NotFoundError):
                exc = NotFoundError(SCOPED_NOT_FOUND)
            return ToolException(tool_error_message(spec.name, exc))

        def prepare(tool_input: str | dict[str, Any], call_id: str | None) -> BaseModel:
            """The one validation of a call: unknown arguments refused by name, then the full args model."""
            given = _as_dict(tool_input, accepted)
            unknown = [name for name in given if name not in accepted and name not in removed]
            if unknown:
                raise ToolException(unknown_arguments_message(spec.name, unknown, accepted))
            # Names the toolkit fills in or hides (a scoped agent's contact) are the tool's own: overridden, not obeyed.
            given = {k: v for k, v in given.items() if k not in removed}
            if call_id_field and call_id and given.get(call_id_field) is None:
                given = {**given, call_id_field: derived_id(call_id_prefix, call_id, given)}
            args = spec.args.model_validate({**given, **injected})
            _refuse_unsendable_text(args)
            return args

        def finish(result: Any, args: BaseModel) -> tuple[str, Any]:
            if contact is not None and spec.check_scope is not None and not spec.check_scope(result, contact):
                raise ToolException(tool_error_message(spec.name, NotFoundError(SCOPED_NOT_FOUND)))
            presented = spec.present(result, args)
            artifact = dump(result)
            if masks:  # read-only: printed gift-card codes shown by their last 4 characters only
                presented, artifact = mask_secrets(presented), mask_secrets(artifact)
            # Piggy answers some calls with no data (a delete, an automation run); LangChain's tool contract wants an
            # artifact that is never None (errors are the messages without one), so the content's data stands in.
            return compact(presented), dump(presented) if artifact is None else artifact

        def func(args: BaseModel) -> tuple[str, Any]:
            refuse_by_policy(args)
            try:
                result = run_sync(spec, sync_client, args)
            except PiggyError as exc:
                raise failure(exc) from None
            return finish(result, args)

        async def coroutine(args: BaseModel) -> tuple[str, Any]:
            refuse_by_policy(args)
            try:
                result = await run_async(spec, async_client, args)
            except PiggyError as exc:
                raise failure(exc) from None
            return finish(result, args)

        tool = PiggyTool(
            name=spec.name,
            description=spec.description,
            args_schema=schema,
            func=func,
            coroutine=coroutine,
            response_format="content_and_artifact",
            handle_tool_error=True,
            handle_validation_error=lambda exc: validation_message(spec.name, exc),  # type: ignore[arg-type]
            metadata={"piggy_risk": spec.max_risk.value, "piggy_group": spec.group, **spec.hints},
            tags=["piggy", spec.group, spec.max_risk.value],
        )
        tool._prepare = prepare
        return tool


class PiggyTool(StructuredTool):
    """A ``StructuredTool`` that validates a call once, against the full args model, and refuses unknown arguments.

    LangChain's own parsing would validate the visible schema first and silently drop names it does not know; here
    the toolkit's ``prepare`` does both jobs in one pass and hands the validated model straight to the operation.
    """

    _prepare: Callable[[str | dict[str, Any], str | None], BaseModel] = PrivateAttr()

    def _to_args_and_kwargs(
        self, tool_input: str | dict[str, Any], tool_call_id: str | None
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        return (), {"piggy_args": self._prepare(tool_input, tool_call_id)}

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        assert self.func is not None
        return self.func(kwargs["piggy_args"])

    async def _arun(self, *args: Any, **kwargs: Any) -> Any:
        assert self.coroutine is not None
        return await self.coroutine(kwargs["piggy_args"])


# Resolved annotations: LangChain reads the type hints of ``_run`` / ``_arun`` on every call, and this module's
# string annotations (``from __future__ import annotations``) would cost a compile each time.
PiggyTool._run.__annotations__ = {"args": Any, "kwargs": Any, "return": Any}
PiggyTool._arun.__annotations__ = {"args": Any, "kwargs": Any, "return": Any}


def unknown_arguments_message(tool: str, unknown: Sequence[str], accepted: Sequence[str]) -> str:
    """Name the arguments the tool does not take and the ones it does, in the refusal format of ``_errors``."""
    names = ", ".join(name if len(name) <= 1000 else name[:1000] + "..." for name in unknown)
    takes = ", ".join(accepted) if accepted else "no arguments"
    return (
        f"Error in {tool}: invalid arguments: {names} is not an argument of this tool (it accepts: {takes}). "
        "Fix them and call again; nothing was sent."
    )


def derived_id(prefix: str, call_id: str, args: dict[str, Any]) -> str:
    """A stable external id from the tool call's id and arguments: a retried call sends the same id, so Piggy
    refuses the repeat as a duplicate; another call (or the same id on other arguments) gets another id."""
    seed = json.dumps([call_id, args], sort_keys=True, default=str)
    return f"{prefix}-{sha256(seed.encode()).hexdigest()[:20]}"


def _as_dict(tool_input: str | dict[str, Any], accepted: Sequence[str]) -> dict[str, Any]:
    """A bare string stands for the first argument, as LangChain's own parsing treats it."""
    if isinstance(tool_input, dict):
        return dict(tool_input)
    return {accepted[0]: tool_input} if accepted else {"input": tool_input}


def select_specs(
    specs: Sequence[ToolSpec],
    *,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    groups: Iterable[str] | None = None,
    read_only: bool = False,
    scoped: bool = False,
    policy: ApprovalPolicy = DEFAULT_POLICY,
) -> list[ToolSpec]:
    """Filter the registry; unknown names or groups are an error, not a silent no-op."""
    known = {s.name for s in specs}
    include_set, exclude_set = set(include or ()), set(exclude or ())
    unknown = (include_set | exclude_set) - known
    if unknown:
        raise ValueError(f"unknown tool name(s): {', '.join(sorted(unknown))}")
    group_set = set(groups or ())
    groups_known = _registry.GROUPS
    if group_set - set(groups_known):
        unknown_groups = ", ".join(sorted(group_set - set(groups_known)))
        raise ValueError(f"unknown group(s): {unknown_groups}; known: {', '.join(groups_known)}")
    selected = []
    for spec in specs:
        if include_set and spec.name not in include_set:
            continue
        if spec.name in exclude_set or (group_set and spec.group not in group_set):
            continue
        if not policy.offers(spec, Principal("scoped") if scoped else Principal(), read_only=read_only):
            continue
        if scoped and not _scope_safe(spec):
            continue
        selected.append(spec)
    return selected


def _scope_safe(spec: ToolSpec) -> bool:
    """A customer-scoped toolkit keeps only tools that cannot reach another contact."""
    if spec.scope == "exclude":
        return False
    if spec.scope == "shared":
        return True
    if "contact_uuid" in spec.args.model_fields:
        return True
    # check_scope runs on the result, so it can only guard reads: a write must take the injected contact_uuid.
    return spec.check_scope is not None and spec.max_risk is Risk.READ


def _refuse_unsendable_text(args: BaseModel) -> None:
    """Refuse, by name, text UTF-8 cannot encode: lone surrogates, which ``json.loads`` makes from ``"\\ud800"``."""
    for name in type(args).model_fields:
        if not _encodable(getattr(args, name)):
            error = ValueError("contains characters that cannot be sent (a lone UTF-16 surrogate); remove them")
            raise ValidationError.from_exception_data(
                type(args).__name__, [{"type": "value_error", "loc": (name,), "input": "", "ctx": {"error": error}}]
            )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is None
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_encodable(v) for v in value)
    if isinstance(value, BaseModel):
        return all(_encodable(getattr(value, name)) for name in type(value).model_fields)
    return True


def _without(model: type[BaseModel], removed: set[str]) -> type[BaseModel]:
    """The args model as the LLM sees it: injected fields removed (validation of the full model runs later)."""
    if not removed:
        return model
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in model.model_fields.items() if name not in removed
    }
    derived: type[BaseModel] = create_model(model.__name__, __doc__=model.__doc__, **fields)
    return derived


def _when_deciding(toolkit: PiggyToolkit, name: str) -> Any:
    def when(request: Any) -> bool:
        call = getattr(request, "tool_call", None) or {}
        return toolkit.needs_decision({"name": name, "args": call.get("args", {})})

    return when


def _pair(client: PiggyClient | None, async_client: AsyncPiggyClient | None) -> tuple[PiggyClient, AsyncPiggyClient]:
    """Both clients, the missing one built from the other's credentials and base URL."""
    from piggy_agent_tools.client import AsyncPiggyClient, PiggyClient

    if client is None and async_client is None:
        return PiggyClient(), AsyncPiggyClient()
    if client is None:
        assert async_client is not None
        creds = async_client._credentials
        client = PiggyClient(
            creds.api_key, base_url=async_client.base_url, client_id=creds.client_id, client_secret=creds.client_secret
        )
    if async_client is None:
        creds = client._credentials
        async_client = AsyncPiggyClient(
            creds.api_key, base_url=client.base_url, client_id=creds.client_id, client_secret=creds.client_secret
        )
    return client, async_client


def _only_shop(client: PiggyClient, specs: list[ToolSpec]) -> str | None:
    """When the account has exactly one shop, tools that need a shop use it without asking."""
    if not any("shop_uuid" in s.args.model_fields for s in specs):
        return None
    try:
        shops = client.shops.list()
    except (PiggyError, AttributeError, ValidationError, ValueError, TypeError):
        return None  # unreachable or a malformed answer: no default shop, the model names one
    if not isinstance(shops, list):
        return None
    return shops[0].uuid if len(shops) == 1 else None


__all__ = ["PiggyTool", "PiggyToolkit", "ValidationError", "select_specs"]
