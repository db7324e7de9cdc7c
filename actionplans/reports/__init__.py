"""The annual report to the crime and disorder committee: what it contains (contents.py), how it is
written and published (services.py), and its PDF (pdf.py) and spreadsheet (xlsx.py) forms."""
