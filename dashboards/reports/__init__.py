"""Committee report packs: the data sections of a workforce paper for a period and scope,
as an editable Word document, a PDF and an Excel workbook (with a CSV zip).

``builder`` gathers the figures once into plain ``Table``s; ``docx``, ``pdf`` and ``xlsx``
render that same structure; ``services`` records a ``ReportPack`` and builds its files.
"""
