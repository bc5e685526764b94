"""Public-service-standard compliance (UU 25/2009): the instrument as data, scoring, zones, the Excel checklist, charts
and the widget."""
