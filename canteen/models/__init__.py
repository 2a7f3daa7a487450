from .cold import *  # noqa: F401,F403
from .health import *  # noqa: F401,F403
from .hygiene import *  # noqa: F401,F403
from .inspections import *  # noqa: F401,F403
from .menus import *  # noqa: F401,F403
from .samples import *  # noqa: F401,F403
from .supply import *  # noqa: F401,F403
