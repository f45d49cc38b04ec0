"""What every domain app shares; it imports no domain app.

- `idempotency`: the `exactly_once` view decorator and `RequestKey` (a
  repeated POST answers with the first response and writes nothing).
- `text`: cleaning of typed text (bidirectional and other control
  characters) and the length limits free text is held to.
- `forms`: the form base classes and fields every form uses (ids the
  database can hold, dates inside a window, cleaned text).
- `uploads`: checking an uploaded file by its content (PDF active content).
- `middleware`: the last net for a value the database refuses (400, never 500).
"""
