"""Views: Class inspections (班级量化考核) and vetoes (一票否决). Ends with `urls`."""

urls = []
