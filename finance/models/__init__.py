from .charges import *  # noqa: F403
from .consents import *  # noqa: F403
from .disclosures import *  # noqa: F403
from .expenses import *  # noqa: F403
from .items import *  # noqa: F403
from .settlements import *  # noqa: F403
from .statements import *  # noqa: F403
