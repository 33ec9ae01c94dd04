"""`tandem`: serve the platform and manage it."""

from __future__ import annotations

import typer

from tandem.cli.advisor import assess
from tandem.cli.analyst import ask, datasets_app
from tandem.cli.deployments import app as deployments_app
from tandem.cli.docs import docs_app
from tandem.cli.evals import eval_app
from tandem.cli.governance import audit_app, budgets_app, db_app, keys_app, usage
from tandem.cli.knowledge import kb_app
from tandem.cli.safety import review_app, safety_app
from tandem.cli.serve import serve
from tandem.cli.support import support_app

app = typer.Typer(
    name="tandem",
    help="Tandem: a self-hostable AI platform with OpenAI- and Azure-compatible APIs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command()(serve)
app.add_typer(deployments_app, name="deployments")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(budgets_app, name="budgets")
app.command()(usage)
app.add_typer(safety_app, name="safety")
app.add_typer(review_app, name="review")
app.add_typer(datasets_app, name="datasets")
app.command()(ask)
app.command()(assess)
app.add_typer(kb_app, name="kb")
app.add_typer(support_app, name="support")
app.add_typer(docs_app, name="docs")
app.add_typer(eval_app, name="eval")
