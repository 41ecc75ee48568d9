"""What the audit log records on other packages' signals."""

from ..accounts.models import Role, User
from ..signals import role_changed
from . import services


@role_changed.connect
def record_role(user: User, *, before: Role | None, actor: User | None) -> None:
    services.record("user.role", "user", user.id, actor=actor,
                    before={} if before is None else {"role": before.value},
                    after={"role": user.role.value})
