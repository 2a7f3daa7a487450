"""What other apps tell the people pages: the trades a repair worker can take (the repairs app registers
its trade choices in its ``AppConfig.ready()``; without it the trades are typed as a comma list)."""

_trades = []


def register_trades(choices):
    """``register_trades(Trade.choices)``: [(value, label)]."""
    for value, label in choices:
        if value not in {v for v, _label in _trades}:
            _trades.append((value, label))


def trade_choices():
    return list(_trades)


def trade_label(value):
    return dict(_trades).get(value, value)
