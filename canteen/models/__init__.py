from .samples import *  # noqa: F401,F403
