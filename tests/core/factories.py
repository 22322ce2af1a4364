"""Core factories. core/ is the shared web plumbing and owns no models, so there is nothing of
its own to make yet: the core tests build their patients, clinics and visits with the factories
of the apps that own them (tests/accounts/factories.py, tests/booking/factories.py). A factory
for something core comes to own belongs here."""
