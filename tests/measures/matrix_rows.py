# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The performance dashboard's rows of the authorization matrix.

``own`` is Staffordshire (the roles' partnership), ``other`` Stoke-on-Trent. The
dashboard is for the business unit, board members, sub-group members and analysts
of the partnership; only the business unit may list the children behind a figure.
"""

from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                  | method | target            | anonymous | password only | sysadmin | business unit   | board member    | sub-group       | analyst         | practitioner | key adult
measures:home             | GET    | -                 | >sign-in  | >two-factor   | 403      | >measures:theme | >measures:theme | >measures:theme | >measures:theme | 403          | 403
measures:theme            | GET    | dashboard-theme   | >sign-in  | >two-factor   | 403      | 200/403         | 200/403         | 200/403         | 200/403         | 403          | 403
measures:theme-download   | GET    | dashboard-csv     | >sign-in  | >two-factor   | 403      | 200/403         | 200/403         | 200/403         | 200/403         | 403          | 403
measures:measure          | GET    | dashboard-measure | >sign-in  | >two-factor   | 403      | 200/403         | 200/403         | 200/403         | 200/403         | 403          | 403
measures:overview         | GET    | dashboard-theme   | >sign-in  | >two-factor   | 403      | 200/403         | 200/403         | 200/403         | 200/403         | 403          | 403
measures:board-pack       | GET    | dashboard-pack    | >sign-in  | >two-factor   | 403      | 200/403         | 200/403         | 200/403         | 200/403         | 403          | 403
measures:measure-children | GET    | dashboard-measure | >sign-in  | >two-factor   | 403      | 200/403         | 403             | 403             | 403             | 403          | 403
api:indicators            | GET    | indicators-query  | 401       | 401           | 403      | 200/403         | 200/403         | 200/403         | 200/403         | 403          | 403
"""

TARGETS = {
    "dashboard-theme": lambda w, u, s: {"code": w.partnership(s).code, "theme": "core-pathway"},
    "dashboard-csv": lambda w, u, s: {"code": w.partnership(s).code, "theme": "core-pathway",
                                      "fmt": "csv"},
    "dashboard-pack": lambda w, u, s: {"code": w.partnership(s).code},
    "dashboard-measure": lambda w, u, s: {"code": w.partnership(s).code,
                                          "indicator_id": "referrals"},
    "indicators-query": lambda w, u, s: Body(data={"partnership": w.partnership(s).code,
                                                   "period": "2020-21"}),
}
