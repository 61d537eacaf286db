from tests.fieldwork.test_exports import data, _urls  # noqa: F401


def test_probe(data, as_coordinator):
    for url in _urls(data):
        r = as_coordinator.get(url)
        print(url, r.headers["Content-Type"], r.headers["Content-Disposition"])
