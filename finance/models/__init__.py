from .charges import *  # noqa: F403
from .consents import *  # noqa: F403
from .costs import *  # noqa: F403
from .disclosures import *  # noqa: F403
from .district import *  # noqa: F403
from .imports import *  # noqa: F403
from .items import *  # noqa: F403
from .settlements import *  # noqa: F403
