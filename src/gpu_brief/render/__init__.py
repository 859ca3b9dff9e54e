"""Results -> terminal text, JSON, Markdown, YAML. The only package that imports Rich.

Corpus text and questions are data: everything shown goes through `terminal.inert` (controls,
escape sequences and bidi overrides made visible) or `markdown.md_escape`, so an article cannot
clear the screen, forge a hyperlink or restyle the output.
"""

from gpu_brief.render.answers import (
    ChatView,
    answer_dict,
    citation_dict,
    contract_citation,
    explanation_dict,
    print_answer,
    print_explanation,
)
from gpu_brief.render.ingest import print_check, print_ingest, progress_bar
from gpu_brief.render.markdown import (
    answer_markdown,
    answers_markdown,
    briefing_markdown,
    code_span,
    md_cell,
    md_code,
    md_escape,
    md_plain,
    sources_markdown,
)
from gpu_brief.render.stream import answer_pieces, stream_answers
from gpu_brief.render.tables import (
    print_claims,
    print_entities,
    print_eval,
    print_show,
    print_sources,
    print_verify,
)
from gpu_brief.render.terminal import (
    console,
    error_line,
    flow,
    inert,
    inert_json,
    note_line,
    plural,
    warning_line,
    write,
)

__all__ = [
    "ChatView",
    "answer_dict",
    "answer_markdown",
    "answer_pieces",
    "answers_markdown",
    "briefing_markdown",
    "citation_dict",
    "code_span",
    "console",
    "contract_citation",
    "error_line",
    "explanation_dict",
    "flow",
    "inert",
    "inert_json",
    "md_cell",
    "md_code",
    "md_escape",
    "md_plain",
    "note_line",
    "plural",
    "print_answer",
    "print_check",
    "print_claims",
    "print_entities",
    "print_eval",
    "print_explanation",
    "print_ingest",
    "print_show",
    "print_sources",
    "print_verify",
    "progress_bar",
    "sources_markdown",
    "stream_answers",
    "warning_line",
    "write",
]
