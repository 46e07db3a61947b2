"""Report assembly and exports on top of ``evalplatform.analysis``.

- ``build_report(judgments, protocol, settings, candidates, meta) -> Report`` (``builder``)
- ``ReportSettings`` (``config``); ``Report``, the tree every export reads, is
  ``evalplatform.protocols.report.Report`` (each protocol fills and renders its part)
- exporters: ``to_json``, ``to_csv`` (``exports``), ``to_latex`` (``latex``), ``to_html``
  (``html``), ``to_pdf`` (``pdf``)
- ``read_judgments``, ``validate_judgments``, ``judgments_to_tidy_csv``, ``TidyError``
  (``tidy``): the ``analyze`` input format
- ``render`` (``exports``): a report in one format, for the CLI and the admin's pages
- ``run_analyze`` (``cli``) behind ``manage.py analyze``

Import names from their modules: the package itself imports nothing, because it is a
Django app loaded at every start-up and matplotlib is slow to import.
"""
