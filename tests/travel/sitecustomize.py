"""Child Python processes of a test run share the parent's travelled clock.

The clock check (``pytest --instant``) moves "now" with time-machine in the test process; the
tests also start Python children (the training server, a killed-and-restarted app, the
viewer's render process, verify's workers). With this folder on PYTHONPATH and
``INTAKE_TEST_CLOCK=<instant>|<real epoch seconds at that instant>``, each child travels to
the same moment, ticking on, so parent and children agree on the date.
"""

import os

_CLOCK = os.environ.get("INTAKE_TEST_CLOCK")
if _CLOCK:
    import time
    from datetime import datetime, timedelta

    import time_machine

    _instant, _real_start = _CLOCK.split("|")
    _moment = datetime.fromisoformat(_instant) + timedelta(seconds=time.time() - float(_real_start))
    time_machine.travel(_moment, tick=True).start()
