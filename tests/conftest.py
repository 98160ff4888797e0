import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def pytest_collection_modifyitems(config, items):
    # Unit tests first, then notebooks (nbval), then the browser test, whatever the argument order.
    def rank(item):
        path = str(item.fspath)
        if "/browser/" in path:
            return 2
        if path.endswith(".ipynb"):
            return 1
        return 0

    items.sort(key=rank)
